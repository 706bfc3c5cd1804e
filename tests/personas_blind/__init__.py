"""A second, independent persona set for the intake (issue 9), written blind.

These proposers were written from what the desk promises (README, the sample platforms'
documents) and the shape of its replies only, not from the intake's own patterns or texts:
each reads the desk's question for its topic with its own simple word matching and answers in
its own words. See `model.py` (who they are), `reader.py` (how they read), `speaker.py` (how
they answer), `talk.py` (the conversation) and `verdict.py` (checking the filed record).
"""
