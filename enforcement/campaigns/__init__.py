"""专项行动: campaigns, their 调度令 and their progress (`enforcement.models.campaign`)."""
