ZH = {"Execution Options": "执行选项", "Periodic Tasks Using This Schedule": "使用此计划的周期任务", "schedule": "计划"}
