"""Content lifecycle (发布): items, revisions, states, audit log and the scheduled-publishing sweep.

Every publicity kind (以案释法, 行政处罚公示, 每月一警示, 知识问答, news) is an
:class:`~quizapp.publishing.models.Item` whose content lives in immutable
:class:`~quizapp.publishing.models.Revision` rows. Visibility is decided on read by
:func:`quizapp.publishing.visibility.visible_items`; the sweep in ``tasks.py`` only
records the side effects (status, audit rows, heartbeat).
"""
