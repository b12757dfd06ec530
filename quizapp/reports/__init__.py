"""Reports (报表): competition results and statistics pages, the year's figures, usage counters.

The services live beside the data they read: :mod:`quizapp.contests.results`,
:mod:`quizapp.contests.statistics` and :mod:`quizapp.reports.figures`;
:mod:`quizapp.reports.usage` counts law-library and practice use per day.
"""
