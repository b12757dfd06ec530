"""The law library (法律法规库): statute texts article by article."""
