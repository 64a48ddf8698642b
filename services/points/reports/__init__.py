"""Practice reports reviewed by people: drafts, states, rubrics, the reviewers' queue, points on
approval, near copies, deadlines, appeals, exemplary reports and attachments
(docs/architecture.md, "Practice reports")."""
