ZH = {"Occupation": "职业", "Industry": "行业"}
