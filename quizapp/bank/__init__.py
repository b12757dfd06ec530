"""The question bank (题库): questions, their versions, and the graders."""
