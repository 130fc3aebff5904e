"""County onboarding (存量对象导入): import an existing caseload from a spreadsheet, export it again."""
