"""English for the portal's interface strings (msgid → msgstr).

``python -m cms.translations_en`` fills cms/locale/en/LC_MESSAGES/django.po from this table
after ``makemessages`` and reports any string still untranslated; then ``msgfmt`` (or
``compilemessages``) builds the .mo that is committed with it.
"""

EN = {
    "：": ": ",
    "城市": "Urban",
    "农村": "Rural",
    "页面不存在": "Page not found",
    "您要找的页面不存在或已撤下（公示期满的公示会自动撤下）。":
        "The page does not exist or has been taken down (public notices are removed when their period ends).",
    "返回首页": "Back to the home page",
    "站内搜索": "Search this site",
    "再就业与低保服务": "Reemployment and Minimum Living Guarantee Service",
    "跳到主要内容": "Skip to main content",
    "搜索": "Search",
    "退出登录": "Log out",
    "登录": "Log in",
    "主导航": "Main navigation",
    "再就业与低保服务 · 定远县民政局、人力资源和社会保障局":
        "Reemployment and Minimum Living Guarantee Service · Dingyuan County Civil Affairs Bureau and "
        "Human Resources and Social Security Bureau",
    "咨询电话：12345（政务服务便民热线）· 所有页面内容均可免费获取，不收取任何费用。":
        "Enquiries: 12345 (government service hotline) · Everything on this site is free of charge.",
    "低保申请、审核和公示均不收费。如遇索要好处费、优亲厚友等情况，请使用“举报”页面反映。":
        "Applying, review and public notices cost nothing. If anyone asks you for money or favours relatives, "
        "please use the “Report” page.",
    "用身份证号码登录": "Log in with your ID number",
    "低保对象和申请人：用户名填写您的18位身份证号码，密码是在社区（村）办理时设置的密码。忘记密码请带身份证到社区（村）工作人员处重置。":
        "Recipients and applicants: your user name is your 18-character resident ID number; your password is the "
        "one set at the community or village office. If you forget it, bring your ID card to the community "
        "(village) staff to reset it.",
    "工作人员：使用单位分配的用户名登录。": "Staff: use the user name your office gave you.",
    "身份证号码（用户名）或密码不正确，请重试。连续输错5次将暂停登录30分钟。":
        "The ID number (user name) or password is not correct. After 5 failed attempts logging in is blocked "
        "for 30 minutes.",
    "身份证号码 / 用户名": "ID number / user name",
    "18位，最后一位可能是 X": "18 characters; the last may be X",
    "密码": "Password",
    "门户网站": "Public portal",
    "小标题": "Heading",
    "正文": "Body",
    "提示": "Information",
    "注意": "Warning",
    "重要": "Important",
    "类型": "Type",
    "标题": "Title",
    "内容": "Text",
    "提示框": "Callout",
    "问题": "Question",
    "回答": "Answer",
    "问答": "Questions and answers",
    "常见问题": "Frequently asked questions",
    "表格标题": "Table caption",
    "表格": "Table",
    "名称": "Name",
    "文档": "Document",
    "或链接": "Or link",
    "说明": "Note",
    "文件": "Files",
    "相关文件": "Related documents",
    "县/区代码": "County code",
    "现行低保标准（自动）": "Standards in force (automatic)",
    "步骤": "Step",
    "办理单位": "Handled by",
    "办理时限": "Time limit",
    "材料名称": "Document",
    "需原件": "Original needed",
    "申请材料": "Documents to bring",
    "窗口名称": "Window",
    "地址": "Address",
    "电话": "Telephone",
    "办公时间": "Opening hours",
    "每行一个时段，如：周一至周五 8:30–12:00": "One period per line, e.g. Monday to Friday 8:30–12:00",
    "办理地点": "Where to go",
    "（不限）": "(any)",
    "户籍类型": "Household registration",
    "城市低保看城镇户口，农村低保看农村户口": "Urban registration for the urban benefit, rural for the rural one",
    "乡镇（街道）": "Township (street)",
    "共同生活的家庭人口": "People living in the household",
    "全家都是“三无”人员（无劳动能力、无收入来源、无法定赡养抚养人）":
        "Everyone in the household is a “three-no” person (no work ability, no income, no legal supporter)",
    "家中有重病患者": "A member is seriously ill",
    "家中有重度残疾人": "A member is severely disabled",
    "单亲家庭": "Single-parent family",
    "有子女在读大学": "A child is at university",
    "家中有无劳动能力的成员": "A member cannot work",
    "因灾、因意外事故生活困难": "Hardship from a disaster or accident",
    "工资收入（元/月，全家合计）": "Wages (yuan a month, whole household)",
    "外出务工的必要开支（元/月，如路费、住宿）": "Necessary costs of working away (yuan a month: travel, lodging)",
    "有凭据的部分可从工资中扣减": "Documented costs are deducted from wages",
    "经营收入（元/月）": "Business income (yuan a month)",
    "养老金、退休金（元/月）": "Pensions (yuan a month)",
    "农业收入（元/月，折算现金）": "Farm income (yuan a month, cash value)",
    "子女等给付的赡养费（元/月）": "Support paid by children (yuan a month)",
    "其他转移性收入（元/月）": "Other transfers (yuan a month)",
    "其他收入（元/月）": "Other income (yuan a month)",
    "家庭存款合计（元）": "Household savings (yuan)",
    "机动车（辆）": "Motor vehicles",
    "住房（套）": "Homes owned",
    "只有工资收入才能扣减务工开支": "Work costs can only be deducted from wages",
    "举报内容": "What happened",
    "请写明何人、何时、何地、何事，例如：隐瞒收入、优亲厚友、索要好处费。":
        "Say who, when, where and what — e.g. hidden income, favouritism, a request for money.",
    "发生地（乡镇/街道）": "Where (township / street)",
    "涉及的低保户编号（如知道）": "Household number concerned (if known)",
    "匿名举报（不留联系方式）": "Report anonymously (leave no contact)",
    "联系方式（电话）": "Contact (telephone)",
    "实名举报时填写，便于反馈处理结果；我们依法为举报人保密。":
        "For a named report, so we can tell you the outcome; your identity is kept confidential by law.",
    "实名举报请留下联系方式，或勾选“匿名举报”。": "Leave a contact for a named report, or tick “Report anonymously”.",
    "摘要": "Summary",
    "一两句话，列表和搜索结果中显示": "One or two sentences, shown in lists and search results",
    "引言": "Introduction",
    "首页": "Home",
    "政策指南栏目": "Policy guide section",
    "政策依据": "Legal basis",
    "更新日期": "Updated",
    "依据": "Basis",
    "政策指南": "Policy guides",
    "办事指南栏目": "Service guide section",
    "申请条件": "Who can apply",
    "办理步骤": "Steps",
    "收费": "Fee",
    "总时限": "Overall time limit",
    "补充说明": "More information",
    "收费与时限": "Fee and time limit",
    "办事指南": "Service guides",
    "公告公示栏目": "Notices section",
    "发布日期": "Published",
    "有效期至": "Valid until",
    "发布单位": "Issued by",
    "日期": "Dates",
    "公告": "Notices",
    "公示范围（区划代码）": "Area of the notice (region code)",
    "异议受理电话": "Objections hotline",
    "低保公示": "Public notice (dibao)",
    "所属县（区划代码）": "County (region code)",
    "自助测算": "Self-check",
    "范围（区划代码）": "Area (region code)",
    "岗位列表": "Vacancy listing",
    "培训课程列表": "Course listing",
    "提交后显示": "Shown after sending",
    "默认区划代码": "Default region code",
    "举报": "Report",
    "暂无法在线受理举报，请拨打举报电话或到乡镇（街道）民政办反映。":
        "Reports cannot be taken online just now. Please call the hotline or visit the township civil-affairs office.",
    "现行低保标准（每人每月）": "Guarantee standards in force (per person per month)",
    "城乡": "Urban / rural",
    "标准（元/人/月）": "Standard (yuan per person per month)",
    "执行日期": "In force from",
    "暂无": "None at present",
    "时间": "Dates",
    "名额": "Places",
    "剩余": "left",
    "暂无正在招生的课程": "No courses are open for enrolment at present",
    "暂无（课程数据暂不可用）": "None at present (course data unavailable)",
    "低保对象和求职登记人员参加培训免收培训费。报名请到社区或乡镇劳务办，或登录后在“我的培训”中报名。":
        "Training is free for recipients and registered job seekers. Enrol at the community or township labour "
        "office, or log in and use “My training”.",
    "测一测能否申请低保": "Check whether you may qualify",
    "怎样申请低保": "How to apply",
    "服务栏目": "Services",
    "最新公告": "Latest notices",
    "位置": "Breadcrumb",
    "（必填）": "(required)",
    "我的": "My account",
    "您好，%(name)s。请选择要办理的事项。": "Hello, %(name)s. What would you like to do?",
    "您是工作人员，请进入": "You are a staff member: please go to the",
    "管理后台": "staff admin",
    "自助服务": "Self-service",
    "暂未开通": "Not available yet",
    "忘记密码？请带身份证到社区（村）工作人员处重置。":
        "Forgot your password? Bring your ID card to the community (village) staff to reset it.",
    "公示": "Public notices",
    "已过期": "expired",
    "截至 %(day)s，以下家庭正在公示期内。公示期满后自动撤下。姓名部分隐去，不公布身份证号码和收入明细。":
        "As of %(day)s these households are in their notice period. Each entry is removed automatically when "
        "its period ends. Names are partly hidden; ID numbers and income are never published.",
    "公示名单": "Households on notice",
    "户主": "Head of household",
    "社区/村": "Community / village",
    "事项": "Notice",
    "类别": "Category",
    "保障人数": "Persons",
    "月保障金（元）": "Monthly benefit (yuan)",
    "公示期": "Notice period",
    "暂无正在公示的家庭": "No households are on notice at present",
    "暂无（公示数据暂不可用）": "None at present (notice data unavailable)",
    "对公示有异议？": "Do you object to an entry?",
    "公示期内，任何单位和个人都可以实名或匿名提出异议。有异议的申请暂停办理，待核实后再作决定。":
        "During the notice period anyone may object, by name or anonymously. A case with an objection waits "
        "until the objection has been checked.",
    "搜索关键词": "Search words",
    "如：低保 申请材料": "e.g. documents to apply",
    "找到 %(counter)s 条结果": ("%(counter)s result", "%(counter)s results"),
    "暂无结果，请换个说法试试。": "Nothing found. Try other words.",
    "测算结果": "Result",
    "按您填写的情况，您家<strong>可能符合</strong>低保条件。":
        "From what you entered, your household <strong>may qualify</strong>.",
    "%(c)s类": "%(c)s",
    "估算月保障金": "Estimated monthly benefit",
    "元": "yuan",
    "按您填写的情况，您家<strong>可能不符合</strong>低保条件。":
        "From what you entered, your household <strong>may not qualify</strong>.",
    "低保标准 %(standard)s 元/人/月；您家人均计算收入 %(per_capita)s 元（%(size)s 人）。":
        "Standard %(standard)s yuan per person per month; your counted income is %(per_capita)s yuan per person "
        "(%(size)s persons).",
    "计算过程": "How it was calculated",
    "这只是粗略估算，不是审批结果。是否符合条件，以入户调查、民主评议和审批为准。":
        "This is a rough estimate, not a decision. The home survey, democratic appraisal and approval decide.",
    "家庭情况（符合的请勾选）": "Your household (tick what applies)",
    "家庭每月收入": "Monthly household income",
    "家庭财产": "Household assets",
    "开始测算": "Check",
    "不收费": "Free",
    "时限": "Time limit",
    "办理地点和时间（一门受理）": "Where and when (one-stop window)",
    "举报已收到": "Your report has been received",
    "受理编号": "Reference number",
    "我们会在规定时间内核实处理。谢谢您的监督。": "We will look into it within the set time. Thank you.",
    "提交举报": "Send report",
    "搜索岗位": "Search vacancies",
    "用自己的话描述，如：会电焊，想在县城上白班": "In your own words, e.g. “I can weld, day shifts in town”",
    "按意思匹配，不必与岗位名称一字不差。": "Matched by meaning: the words need not be the job title.",
    "与“%(query)s”相关的岗位": "Vacancies matching “%(query)s”",
    "正在招聘的岗位": "Open vacancies",
    "元/月": "yuan a month",
    "招 %(n)s 人": "%(n)s openings",
    "截止": "Closes",
    "暂无符合条件的岗位": "No matching vacancies at present",
    "暂无（岗位数据暂不可用）": "None at present (vacancy data unavailable)",
    "想应聘？请到户籍所在社区或乡镇劳务办做求职登记，工作人员会为您推荐岗位。低保对象登录后可在“我的”中查看匹配岗位。":
        "Interested? Register as a job seeker at your community or township labour office and staff will refer "
        "you. Recipients can log in and see matched vacancies under “My account”.",
    "公告公示": "Notices",
    "岗位": "Jobs",
    "培训": "Training",
    "自助查询": "Self-check",
    "我的低保": "My benefit",
    "保障类别、月保障金、发放记录和审核进度": "Category, monthly amount, payments and review progress",
    "我的求职": "My job search",
    "求职登记、为我匹配的岗位和推荐记录": "Job-seeker registration, matched vacancies and referrals",
    "我的培训": "My training",
    "可报名的培训课程和我的培训记录": "Courses open for enrolment and my training record",
    "报告变化": "Report a change",
    "家庭人口、收入、就业有变化时及时报告": "Tell us promptly when household members, income or work change",
    # public notices by stage (PublicNoticePage.stages)
    "公示事项": "Notice type",
    "审批结果公示（县级已批准的家庭）": "Approval results (households the county approved)",
    "评议结果公示（已民主评议、尚未审批的申请）": "Appraisal results (appraised applications not yet decided)",
    "两类都列出（注明事项）": "Both (each entry says which)",
    "审批结果公示只列县级已批准的家庭；评议结果公示列已民主评议、尚未审批的申请":
        "Approval results list only households the county approved; appraisal results list applications "
        "appraised but not yet decided",
    "审批结果公示": "Approval result",
    "评议结果公示": "Appraisal result",
    "拟保障金（元/月）": "Proposed benefit (yuan/month)",
    # tip-off abuse protection
    "请勿填写此项": "Leave this field empty",
    "提交次数过多，请%(minutes)s分钟后再试；紧急情况请拨打举报电话。":
        "Too many reports from this connection. Please try again in %(minutes)s minutes, or call the tip-off "
        "line if it is urgent.",
}


def _unquote(line: str) -> str:
    return line.strip()[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill(path: str) -> list[str]:
    """Fill msgstr of ``path`` from EN; return the msgids left untranslated."""
    from pathlib import Path

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    missing: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("msgid ") and not line.startswith("msgid_plural"):
            parts = [_unquote(line[6:])]
            block = [line]
            i += 1
            while i < len(lines) and lines[i].startswith('"'):
                parts.append(_unquote(lines[i]))
                block.append(lines[i])
                i += 1
            msgid = "".join(parts)
            plural = None
            if i < len(lines) and lines[i].startswith("msgid_plural"):
                block.append(lines[i])
                plural = True
                i += 1
                while i < len(lines) and lines[i].startswith('"'):
                    block.append(lines[i])
                    i += 1
            # skip the old msgstr lines
            while i < len(lines) and (lines[i].startswith("msgstr") or lines[i].startswith('"')):
                i += 1
            out.extend(block)
            if msgid == "":
                # header: keep it and set the plural forms for English
                out.append('msgstr ""')
                out.append('"Content-Type: text/plain; charset=UTF-8\\n"')
                out.append('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
                out.append('"Language: en\\n"')
                continue
            value = EN.get(msgid)
            if value is None:
                missing.append(msgid)
                value = ("", "") if plural else ""
            if plural:
                singular, many = value if isinstance(value, tuple) else (value, value)
                out.append(f"msgstr[0] {_quote(singular)}")
                out.append(f"msgstr[1] {_quote(many)}")
            else:
                out.append(f"msgstr {_quote(value)}")
            continue
        if line.startswith("#, fuzzy"):
            i += 1
            continue
        out.append(line)
        i += 1
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")
    return missing


if __name__ == "__main__":
    from pathlib import Path

    po = Path(__file__).with_name("locale") / "en" / "LC_MESSAGES" / "django.po"
    left = fill(str(po))
    print(f"untranslated: {len(left)}")
    for msgid in left:
        print("  ", msgid)
