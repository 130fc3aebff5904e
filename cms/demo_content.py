"""Demo content of the portal, in Chinese and English, written for 定远县 from the field reports
(/work/shared/reference/dibao-field-reports.zh.txt; [R1]…[R5] are its reports 篇1…篇5).

Every page is a dict: ``cls`` (model name), ``slug``, ``zh`` and ``en`` field values, and
optional ``children``. StreamField values are lists of {"type", "value"} (Wagtail's raw form).
Amounts that change (the standards) are not written here: guides embed the
``current_standards`` block, which reads the standard in force from the database.
"""

from __future__ import annotations

import datetime as dt


def p(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def h(text: str) -> dict:
    return {"type": "heading", "value": text}


def callout(kind: str, title: str, html: str) -> dict:
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


def faq(title: str, items: list[tuple[str, str]]) -> dict:
    return {"type": "faq", "value": {"title": title, "items": [{"question": q, "answer": a} for q, a in items]}}


def table(caption: str, rows: list[list[str]]) -> dict:
    return {
        "type": "table",
        "value": {
            "caption": caption,
            "table": {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False},
        },
    }


def docs(title: str, links: list[tuple[str, str]]) -> dict:
    return {"type": "documents", "value": {"title": title, "links": [
        {"title": t, "document": None, "url": "", "note": n} for t, n in links
    ]}}


# The site settings of the demo portal (cms.models.PortalSettings): the demo county.
PORTAL_SETTINGS = {"county_code": "341125"}

STANDARDS = {"type": "current_standards", "value": {"region_code": "341125"}}


def step(title: str, html: str, who: str = "", time_limit: str = "") -> dict:
    return {"type": "step", "value": {"title": title, "text": html, "who": who, "time_limit": time_limit}}


def document(name: str, note: str = "", original: bool = False) -> dict:
    return {"type": "document", "value": {"name": name, "note": note, "original_needed": original}}


def office(name: str, address: str, phone: str, hours: str) -> dict:
    return {"type": "office", "value": {"name": name, "address": address, "phone": phone, "opening_hours": hours}}


# --- policy guides -----------------------------------------------------------------------

GUIDE_ELIGIBILITY = {
    "cls": "PolicyGuidePage",
    "slug": "eligibility-and-amounts",
    "zh": {
        "title": "低保的条件、分类和保障金",
        "summary": "家庭人均月收入低于当地低保标准、家庭财产不超过规定的，可以申请低保。保障金按A、B、C三类计算。",
        "legal_basis": "《城市居民最低生活保障条例》；《定远县城市居民最低生活保障实施细则》",
        "body": [
            h("谁可以申请"),
            p("<p>低保以<b>家庭</b>为单位（“保户不保人”）：共同生活的家庭成员一起计算收入、一起申请。"
              "家庭人均月收入低于当地低保标准，并且存款、车辆、住房不超过规定的，可以申请。</p>"
              "<p>不能把家中年老、患病或残疾的成员单独分出来申请（人户分离）——家庭成员之间有相互扶养的义务。</p>"),
            STANDARDS,
            h("收入怎样计算"),
            p("<ul><li>工资、经营、养老金、赡养费、转移性收入等都计入家庭收入。</li>"
              "<li>粮食等实物收入按县里公布的价格折算成现金，不由个人随意估算。</li>"
              "<li>子女应付的赡养费计入收入；子女确无能力赡养的，要说明情况并经核实。</li>"
              "<li>就业收入扣除规定的扣减额后再计算，鼓励有劳动能力的成员就业（见“就业激励”）。</li></ul>"),
            h("分类施保：A、B、C三类"),
            table("保障金怎样计算", [
                ["类别", "城市低保", "农村低保"],
                ["A类", "“三无”人员：按低保标准全额发放", "“三无”对象（应保未保的五保户）：每人每月120元"],
                ["B类", "重病、重残、单亲家庭、子女上大学：人均补差上浮30%", "大病、重残、单亲困难家庭：每人每月100元"],
                ["C类", "一般困难家庭：按人均补差发放", "因天灾人祸、无劳动能力等生活困难：每人每月70元"],
            ]),
            callout("info", "算一算：城市C类",
                    "<p>三口之家，城市低保标准260元，家庭月计算收入480元：人均160元，每人补差260−160=100元，"
                    "全家每月300元。如果家中有重病患者（B类），补差上浮30%，全家每月390元。</p>"),
            h("有进有出：动态管理"),
            p("<p>城市低保每年复核两次，农村低保每年复核一次。家庭收入超过低保标准的，按规定停发（应退尽退）；"
              "收入下降的，及时调整。每次进出和金额升降都有记录可查。</p>"),
            faq("常见问题", [
                ("享受低保是终身的吗？", "<p>不是。低保随家庭经济状况变化而调整，收入超过标准就会退出；以后再有困难可以重新申请。</p>"),
                ("家里有人外出打工，还能享受低保吗？", ("<p>可以申请，工资收入扣除规定的扣减额和有凭据的务工必要开支后计算。"
                 "找到工作后还可能享受6个月的过渡期待遇。</p>")),
                ("我能先算一算吗？", "<p>可以使用本站的“自助测算”，结果仅供参考，以入户调查和审批为准。</p>"),
            ]),
            docs("相关文件", [("《城市居民最低生活保障条例》", "国务院"),
                          ("《定远县城市居民最低生活保障实施细则》", "定远县人民政府")]),
        ],
    },
    "en": {
        "title": "Who qualifies, categories and amounts",
        "summary": "A household whose monthly income per person is below the local standard, with assets within "
                   "the limits, may apply. The benefit is calculated by category A, B or C.",
        "legal_basis": "Regulations on the Minimum Living Guarantee for Urban Residents; Dingyuan County rules",
        "body": [
            h("Who can apply"),
            p("<p>The benefit is for the <b>household</b>, not the individual: members who live together count "
              "their income together and apply together. A household may apply when its monthly income per person "
              "is below the local standard and its savings, vehicles and housing are within the limits.</p>"
              "<p>An elderly, sick or disabled member may not be split off to apply alone: family members owe "
              "each other support.</p>"),
            STANDARDS,
            h("How income is counted"),
            p("<ul><li>Wages, business income, pensions, support from children and transfers all count.</li>"
              "<li>Grain and other income in kind is converted at the price the county publishes.</li>"
              "<li>Support owed by adult children counts as income unless it is verified that they cannot pay.</li>"
              "<li>Earnings count after the published disregard, so that taking a job pays (see "
              "“Work incentives”).</li></ul>"),
            h("Categories A, B and C"),
            table("How the monthly benefit is calculated", [
                ["Category", "Urban", "Rural"],
                ["A", "“Three-no” persons: the full standard", "“Three-no” persons: 120 yuan per person per month"],
                ["B", "Serious illness, severe disability, single parent, child at university: the gap plus 30%",
                 "Serious illness, severe disability, single-parent hardship: 100 yuan per person"],
                ["C", "Other households: the gap between income and the standard",
                 "Disaster, no work ability and other hardship: 70 yuan per person"],
            ]),
            callout("info", "Example: urban category C",
                    "<p>A family of three, urban standard 260 yuan, counted income 480 yuan a month: 160 yuan per "
                    "person, a gap of 100 yuan per person, 300 yuan a month for the household. With a seriously ill "
                    "member (category B) the gap is raised by 30%: 390 yuan a month.</p>"),
            h("Reviews"),
            p("<p>Urban households are reviewed twice a year, rural households once a year. A household whose "
              "income rises above the standard leaves the benefit; one whose income falls gets more. Every "
              "change is recorded.</p>"),
            faq("Questions", [
                ("Is the benefit for life?", ("<p>No. It follows the household's situation; you may apply again "
                 "later if you need to.</p>")),
                ("A member works away from home. Can we still apply?", ("<p>Yes. Wages count after the disregard "
                 "and documented travel and lodging costs. Finding work may also bring a 6-month transition "
                 "benefit.</p>")),
                ("Can I check first?", ("<p>Use the self-check on this site. It is an estimate; the home survey "
                 "and approval decide.</p>")),
            ]),
            docs("Documents", [("Regulations on the Minimum Living Guarantee for Urban Residents", "State Council"),
                               ("Dingyuan County implementing rules", "Dingyuan County Government")]),
        ],
    },
}

GUIDE_PROCEDURE = {
    "cls": "PolicyGuidePage",
    "slug": "application-procedure",
    "zh": {
        "title": "申请、审核审批和公示程序",
        "summary": "在户籍所在地社区（村）申请，经入户调查、民主评议、公示、乡镇审核、县民政局审批，批准后再公示3天。",
        "legal_basis": "《定远县城市居民最低生活保障实施细则》；农村低保暂行办法",
        "body": [
            p("<p>申请低保不收任何费用。申请人只需提出申请、如实说明家庭情况，材料核实、入户调查等由工作人员办理。</p>"),
            h("办理流程"),
            table("从申请到领取", [
                ["步骤", "谁来办", "做什么"],
                ["1. 申请", "社区居委会 / 村委会", "户主到户籍所在地提出书面申请，说明家庭人口、收入和财产"],
                ["2. 入户调查", "社区（村）工作人员", "上门核实收入和生活状况，邻里走访，记录调查结果"],
                ["3. 民主评议", "评议小组（居民/村民代表不少于3人）", "对申请家庭的情况进行评议"],
                ["4. 张榜公示", "社区（村）", "评议通过的在公示栏公示，接受群众监督"],
                ["5. 乡镇审核", "乡镇政府 / 街道办事处", "审核材料，必要时重新入户调查"],
                ["6. 县级审批", "县民政局", "批准或不批准；不批准的书面通知并说明理由"],
                ["7. 批准后公示", "乡镇政务公开栏", "公示3天，群众无异议的发放低保证"],
                ["8. 发放", "县民政局", "通过社会化发放专户按月打卡发放"],
            ]),
            callout("important", "公示期间有异议怎么办？",
                    "<p>任何人都可以在公示期间提出异议。有异议的申请暂停办理，核实清楚后再继续。"
                    "公示只显示部分隐去的姓名，不公布身份证号码和收入明细。</p>"),
            faq("常见问题", [
                ("可以请人代办吗？", "<p>行动不便的，可以委托家人或由社区（村）工作人员上门受理。</p>"),
                ("多久能办好？", "<p>各环节都有时限，一般在受理后一个月左右作出决定；需要重新调查的会相应延长。</p>"),
                ("被拒绝了怎么办？", "<p>您会收到书面通知和理由。对决定有异议的，可以向县民政局反映或依法申请复议。</p>"),
            ]),
        ],
    },
    "en": {
        "title": "How applications are decided and noticed",
        "summary": "Apply at the community or village of household registration; a home survey, a democratic "
                   "appraisal, a public notice, township review and county approval follow, then a 3-day notice.",
        "legal_basis": "Dingyuan County implementing rules; rural minimum living guarantee rules",
        "body": [
            p("<p>Applying is free. You apply and describe your household truthfully; the staff check documents "
              "and visit your home.</p>"),
            h("The steps"),
            table("From application to payment", [
                ["Step", "Who", "What happens"],
                ["1. Apply", "Residents' / villagers' committee", "The head of household applies in writing"],
                ["2. Home survey", "Community or village staff", "A visit to check income and living conditions"],
                ["3. Democratic appraisal", "A panel of at least 3 residents' representatives", "The panel appraises the case"],
                ["4. Public notice", "Community or village", "Cases that pass are posted on the notice board"],
                ["5. Township review", "Township government / street office", "Documents checked, a new visit if needed"],
                ["6. County decision", "County civil-affairs bureau", "Approval, or a written refusal with reasons"],
                ["7. Notice of approval", "Township notice board", "Posted for 3 days; then the certificate is issued"],
                ["8. Payment", "County civil-affairs bureau", "Paid monthly into a dedicated bank account"],
            ]),
            callout("important", "Objections during a notice",
                    "<p>Anyone may object while a case is on notice. The case then waits until the objection has "
                    "been checked. Notices show partly hidden names only, never ID numbers or income.</p>"),
            faq("Questions", [
                ("Can someone apply for me?", "<p>Yes: a family member, or the community staff can visit you.</p>"),
                ("How long does it take?", ("<p>About a month after the application is accepted; longer if a new "
                 "survey is needed.</p>")),
                ("What if I am refused?", ("<p>You receive the reasons in writing and may ask the county bureau to "
                 "reconsider.</p>")),
            ]),
        ],
    },
}

GUIDE_WORK = {
    "cls": "PolicyGuidePage",
    "slug": "work-incentives",
    "zh": {
        "title": "就业激励：求职登记、收入扣减和过渡期",
        "summary": "有劳动能力的低保对象要进行求职登记；找到工作后，收入扣减和6个月过渡期让就业不吃亏。",
        "legal_basis": "定远县促进城市低保对象就业的激励和制约办法",
        "body": [
            h("求职登记是义务"),
            p("<p>已享受或正在申请低保、有劳动能力的<b>男性48岁以下、女性38岁以下</b>家庭成员，"
              "须在所在社区或乡镇劳务办进行求职登记，登记技能、工作经历、文化程度、想做的工作和工作时间。</p>"
              "<p>无正当理由两次以上拒绝公共就业服务机构推荐的岗位的，经民政部门确认，"
              "可以停发低保金或不受理低保申请。</p>"),
            h("就业收入先扣减再计算"),
            p("<p>过去按毛收入计算：四口之家一人外出打工月薪600元，全家就失去了低保，而这600元只够务工者本人在外的生活开支。"
              "现在工资收入先扣除县里公布的扣减额，以及有凭据的路费、住宿等务工必要开支，再计入家庭收入。</p>"),
            h("找到工作后的过渡期"),
            table("过渡期待遇（参加培训并就业的低保对象）", [
                ["新的月收入", "过渡期待遇", "期限"],
                ["低于800元", "原低保金全额继续发放", "6个月"],
                ["800元及以上", "原低保金减半发放", "6个月"],
            ]),
            p("<p>过渡期满后按正常程序复核。工作中断的，可以按简化程序重新申请（快速恢复），做到“出得去、进得来”。</p>"),
            callout("info", "免费培训",
                    "<p>县里开设电动缝纫、电子装配、车工焊工钳工、计算机操作与维修、物业管理、餐饮服务、保安、创业等培训，"
                    "低保对象免费参加。见“培训”栏目。</p>"),
            h("公益性劳动"),
            p("<p>有劳动能力的低保对象应按社区安排参加治安巡逻、卫生保洁等公益性劳动。</p>"),
            faq("常见问题", [
                ("月收入正好800元算哪一档？", "<p>800元及以上的，原低保金减半发放6个月。</p>"),
                ("我身体不好，也要登记吗？", "<p>没有劳动能力的不需要登记。身体有限制的，登记时说明，推荐岗位会考虑。</p>"),
            ]),
        ],
    },
    "en": {
        "title": "Work incentives: job-seeker registration, earnings disregard, transition benefit",
        "summary": "Recipients able to work register as job seekers; the earnings disregard and a 6-month "
                   "transition benefit make sure that taking a job pays.",
        "legal_basis": "Dingyuan County measures to encourage recipients into work",
        "body": [
            h("Registering as a job seeker is a duty"),
            p("<p>Members of a recipient or applicant household who can work — <b>men under 48, women under "
              "38</b> — must register as job seekers at the community or township labour office, with their "
              "skills, experience, education, the work they want and the hours they can do.</p>"
              "<p>Refusing posts offered by the public employment service twice without a valid reason may, once "
              "confirmed by civil-affairs staff, stop the benefit or the application.</p>"),
            h("Earnings count after a disregard"),
            p("<p>Counting gross wages used to cost a family of four its whole benefit when one member took a "
              "600-yuan job away from home — money that barely kept the worker. Now wages count after the "
              "published disregard and documented travel and lodging costs.</p>"),
            h("Transition benefit after finding work"),
            table("Transition benefit (recipients who trained and found work)", [
                ["New monthly earnings", "Benefit", "For"],
                ["Below 800 yuan", "The previous benefit in full", "6 months"],
                ["800 yuan or more", "Half the previous benefit", "6 months"],
            ]),
            p("<p>A normal review follows. If the job ends, the household may come back through a shorter "
              "procedure (fast-track re-entry).</p>"),
            callout("info", "Free training",
                    "<p>Courses in sewing, electronics assembly, lathe, welding and fitting, computer operation and "
                    "repair, property management, catering, security and business start-up are free for "
                    "recipients. See “Training”.</p>"),
            h("Public-interest work"),
            p("<p>Recipients able to work take part in community patrols and cleaning as arranged.</p>"),
            faq("Questions", [
                ("Exactly 800 yuan a month: which row?", ("<p>800 yuan or more: half the previous benefit for 6 "
                 "months.</p>")),
                ("I have health problems. Must I register?", ("<p>Not if you cannot work. If you have limits, say "
                 "so when you register.</p>")),
            ]),
        ],
    },
}

GUIDE_INTEGRITY = {
    "cls": "PolicyGuidePage",
    "slug": "integrity-and-tip-offs",
    "zh": {
        "title": "诚信申报、监督和举报",
        "summary": "如实申报是申请人的义务；骗取低保将被追回并可处罚款。“人情保”“关系保”可以举报，举报人依法受到保护。",
        "legal_basis": "《城市居民最低生活保障条例》；基层干部近亲属享受低保备案制度",
        "body": [
            h("如实申报"),
            p("<p>申请人和低保家庭要如实申报家庭人口、收入和财产，收入和人口有变化时及时报告（登录后在“我的”中“报告变化”）。"
              "民政部门会与公安、社保、住房、车辆、银行、市场监管等部门的数据进行比对核实。</p>"),
            h("骗取低保的后果"),
            table("处理规定", [
                ["情形", "处理"],
                ["冒领、骗取低保金", "追回冒领的低保金，批评教育或警告"],
                ["情节恶劣的", "处冒领金额1倍以上3倍以下的罚款"],
                ["出具虚假证明的单位和个人", "对责任人员依法处理，处1000元以下罚款"],
            ]),
            h("干部近亲属备案"),
            p("<p>村（居）委会和乡镇干部的近亲属申请或享受低保的，必须备案，防止“人情保”“关系保”。</p>"),
            h("怎样举报"),
            p("<p>发现隐瞒收入、优亲厚友、索要好处费等情况，可以通过本站“举报”页面在线举报（可以匿名），"
              "也可以拨打举报电话或投递社区（村）公示栏旁的举报箱。</p>"),
            callout("important", "办理低保不收费", "<p>申请、评议、审核、公示各环节都不收取任何费用，也不需要请客送礼。</p>"),
            faq("常见问题", [
                ("匿名举报会被受理吗？", "<p>会。匿名举报同样登记、核查；留下联系方式的，我们会反馈处理结果。</p>"),
                ("举报人的信息会泄露吗？", "<p>举报人信息依法保密，只有处理人员可以看到。</p>"),
            ]),
        ],
    },
    "en": {
        "title": "Honest declarations, oversight and tip-offs",
        "summary": "Applicants must declare truthfully; benefit obtained by fraud is recovered and may be fined. "
                   "Favouritism can be reported, and those who report are protected.",
        "legal_basis": "Regulations on the Minimum Living Guarantee; registration of cadres' close relatives",
        "body": [
            h("Declare truthfully"),
            p("<p>Applicants and recipients declare household members, income and assets truthfully and report "
              "changes promptly (log in and use “Report a change”). The bureau checks declarations against "
              "police, social insurance, housing, vehicle, bank and business records.</p>"),
            h("Consequences of fraud"),
            table("Penalties", [
                ["Case", "Consequence"],
                ["Benefit obtained by deception", "Repayment of the amount, warning"],
                ["Serious cases", "A fine of 1 to 3 times the amount"],
                ["A false certificate issued by an employer or official", "A fine of up to 1,000 yuan"],
            ]),
            h("Cadres' relatives are registered"),
            p("<p>Close relatives of village, community and township cadres who apply for or receive the benefit "
              "are registered, to prevent favouritism.</p>"),
            h("How to report"),
            p("<p>Report hidden income, favouritism or requests for bribes on the “Report” page (anonymously if "
              "you wish), by the hotline, or through the box beside the community notice board.</p>"),
            callout("important", "The benefit costs nothing", "<p>No step of the procedure is charged for, and no "
                    "gifts are needed.</p>"),
            faq("Questions", [
                ("Are anonymous reports followed up?", ("<p>Yes. If you leave a contact, we tell you the "
                 "outcome.</p>")),
                ("Will my details be disclosed?", "<p>No. Only the staff handling the case see them.</p>"),
            ]),
        ],
    },
}

# --- service guide -------------------------------------------------------------------------

OFFICE_HOURS_ZH = "周一至周五 8:30–12:00，14:30–17:30\n法定节假日休息"
OFFICE_HOURS_EN = "Monday to Friday 8:30–12:00, 14:30–17:30\nClosed on public holidays"

SERVICE_APPLY = {
    "cls": "ServiceGuidePage",
    "slug": "apply-for-dibao",
    "zh": {
        "title": "申请城乡居民最低生活保障",
        "summary": "到户籍所在地社区（村）或乡镇便民服务中心“一门受理”窗口申请，不收费。",
        "who_can_apply": "<p>户籍在本县、共同生活的家庭成员人均月收入低于当地低保标准、家庭财产符合规定的城乡居民家庭。</p>",
        "fee": "不收费",
        "time_limit": "受理后一般30个工作日内作出决定",
        "steps": [
            step("提出申请", "<p>户主带上材料到户籍所在地社区居委会（村委会）或乡镇“一门受理”窗口，填写申请书，如实说明家庭情况。</p>",
                 "社区居委会 / 村委会", "当场受理"),
            step("入户调查", "<p>工作人员上门了解家庭收入、财产和生活状况，并在邻里走访。请配合并如实提供情况。</p>",
                 "社区（村）工作人员", "受理后10个工作日内"),
            step("民主评议和公示", "<p>评议小组对申请进行评议，通过的在社区（村）公示栏张榜公示。</p>",
                 "评议小组", "公示期不少于3天"),
            step("乡镇审核、县民政局审批", "<p>乡镇审核，必要时重新调查；县民政局作出批准或不批准的决定，不批准的书面说明理由。</p>",
                 "乡镇政府、县民政局", ""),
            step("领取低保证和保障金", "<p>批准名单公示3天无异议后发放低保证，保障金按月打入社会化发放专户。</p>",
                 "县民政局", ""),
        ],
        "documents": [
            document("申请书", "窗口可领取，也可由工作人员代填"),
            document("户口簿、全体家庭成员身份证", "", True),
            document("家庭成员收入情况", "工资、养老金等；无法提供证明的，由工作人员调查核实"),
            document("残疾证、病历或诊断证明", "家中有重病、重残成员的"),
            document("在校学生证明", "子女上大学的"),
            document("婚姻状况证明", "离异、丧偶、单亲家庭的"),
        ],
        "offices": [
            office("定城镇便民服务中心 社会救助窗口", "定远县定城镇便民服务中心一楼", "0550-4021234", OFFICE_HOURS_ZH),
            office("炉桥镇便民服务中心 社会救助窗口", "定远县炉桥镇便民服务中心一楼", "0550-4061234", OFFICE_HOURS_ZH),
        ],
        "body": [
            callout("info", "先测一测", "<p>不确定是否符合条件？可以先用“自助测算”估算一下。</p>"),
        ],
    },
    "en": {
        "title": "Apply for the minimum living guarantee",
        "summary": "Apply at your community or village, or at the township one-stop window. There is no fee.",
        "who_can_apply": "<p>Households registered in the county whose monthly income per person is below the "
                         "local standard and whose assets are within the limits.</p>",
        "fee": "Free",
        "time_limit": "Usually decided within 30 working days of acceptance",
        "steps": [
            step("Apply", "<p>The head of household brings the documents to the residents' or villagers' "
                 "committee, or the township one-stop window, and fills in the form.</p>",
                 "Residents' / villagers' committee", "Accepted on the spot"),
            step("Home survey", "<p>Staff visit to learn about income, assets and living conditions and talk "
                 "to neighbours.</p>", "Community or village staff", "Within 10 working days"),
            step("Appraisal and notice", "<p>A panel appraises the case; cases that pass are posted on the "
                 "notice board.</p>", "Appraisal panel", "At least 3 days"),
            step("Township review and county decision", "<p>The township reviews; the county bureau approves "
                 "or refuses in writing with reasons.</p>", "Township, county bureau", ""),
            step("Certificate and payment", "<p>After a 3-day notice of approval the certificate is issued and "
                 "the benefit is paid monthly.</p>", "County bureau", ""),
        ],
        "documents": [
            document("Application form", "Available at the window; staff can fill it in for you"),
            document("Household register and ID cards of all members", "", True),
            document("Income of household members", "Wages, pensions; staff check what cannot be documented"),
            document("Disability card or medical records", "If a member is seriously ill or disabled"),
            document("Proof of enrolment", "For a child at university"),
            document("Proof of marital status", "Divorced, widowed or single-parent households"),
        ],
        "offices": [
            office("Dingcheng town service centre, social assistance window", "Ground floor, Dingcheng town "
                   "service centre, Dingyuan County", "0550-4021234", OFFICE_HOURS_EN),
            office("Luqiao town service centre, social assistance window", "Ground floor, Luqiao town service "
                   "centre, Dingyuan County", "0550-4061234", OFFICE_HOURS_EN),
        ],
        "body": [
            callout("info", "Check first", "<p>Not sure you qualify? Try the self-check first.</p>"),
        ],
    },
}

SERVICE_JOBSEEKER = {
    "cls": "ServiceGuidePage",
    "slug": "register-as-job-seeker",
    "zh": {
        "title": "求职登记",
        "summary": "有劳动能力的低保对象和申请人到社区或乡镇劳务办登记，工作人员推荐岗位和培训。",
        "who_can_apply": "<p>所有有就业意愿的居民均可登记；男性48岁以下、女性38岁以下有劳动能力的低保对象和申请人必须登记。</p>",
        "fee": "不收费",
        "time_limit": "当场办结",
        "steps": [
            step("登记", "<p>带身份证到社区或乡镇劳务办，说明技能、工作经历、文化程度、想做的工作、能工作的时间和地点。</p>",
                 "社区 / 乡镇劳务办", "当场办结"),
            step("匹配和推荐", "<p>系统按您的情况匹配岗位，工作人员向您推荐，您也可以登录后在“我的求职”中查看。</p>",
                 "县劳动就业局", ""),
            step("面试和结果", "<p>参加面试后告诉工作人员结果。无正当理由两次拒绝推荐岗位的，可能影响低保待遇。</p>", "", ""),
        ],
        "documents": [document("身份证", "", True), document("技能证书、培训证书", "有的请带上")],
        "offices": [
            office("县劳动就业局 就业服务大厅", "定远县人力资源市场一楼", "0550-4029876", OFFICE_HOURS_ZH),
        ],
        "body": [],
    },
    "en": {
        "title": "Register as a job seeker",
        "summary": "Recipients and applicants able to work register at the community or township labour office; "
                   "staff offer vacancies and training.",
        "who_can_apply": "<p>Anyone who wants work may register; recipients and applicants able to work — men "
                         "under 48, women under 38 — must.</p>",
        "fee": "Free",
        "time_limit": "Done on the spot",
        "steps": [
            step("Register", "<p>Bring your ID card and describe your skills, experience, education and the work, "
                 "hours and places you want.</p>", "Community / township labour office", "On the spot"),
            step("Matching and referral", "<p>Vacancies are matched to your profile; staff refer you, and you "
                 "can see matches under “My job search” after logging in.</p>", "County labour bureau", ""),
            step("Interview and outcome", "<p>Tell the staff how the interview went. Refusing two referrals "
                 "without a valid reason may affect the benefit.</p>", "", ""),
        ],
        "documents": [document("ID card", "", True), document("Skill or training certificates", "If you have any")],
        "offices": [
            office("County labour bureau, employment service hall", "Ground floor, Dingyuan labour market",
                   "0550-4029876", OFFICE_HOURS_EN),
        ],
        "body": [],
    },
}

# --- notices -------------------------------------------------------------------------------

NOTICE_STANDARDS = {
    "cls": "NoticePage",
    "slug": "standards-2026",
    "zh": {
        "title": "关于提高2026年城乡居民最低生活保障标准的公告",
        "summary": "自2026年1月1日起，城市低保标准由每人每月150元提高到260元，农村低保标准由110元提高到180元。",
        "date": dt.date(2025, 12, 20),
        "issuer": "定远县民政局",
        "body": [
            p("<p>经县人民政府研究同意，自2026年1月1日起提高我县城乡居民最低生活保障标准：</p>"),
            table("2026年低保标准", [["", "原标准（元/人/月）", "新标准（元/人/月）"],
                                 ["城市", "150", "260"], ["农村", "110", "180"]]),
            p("<p>已享受低保的家庭，由民政部门按新标准重新计算保障金，不需要重新申请。"
              "同时，就业收入实行每月200元的扣减，鼓励有劳动能力的低保对象就业。</p>"),
            p("<p>特此公告。</p>"),
        ],
    },
    "en": {
        "title": "Higher guarantee standards from 1 January 2026",
        "summary": "From 1 January 2026 the urban standard rises from 150 to 260 yuan per person per month, the "
                   "rural standard from 110 to 180 yuan.",
        "date": dt.date(2025, 12, 20),
        "issuer": "Dingyuan County Civil Affairs Bureau",
        "body": [
            p("<p>With the approval of the County Government, the guarantee standards rise on 1 January 2026:</p>"),
            table("Standards for 2026", [["", "Before (yuan/person/month)", "From 2026"],
                                        ["Urban", "150", "260"], ["Rural", "110", "180"]]),
            p("<p>Households already receiving the benefit need not apply again: the bureau recalculates their "
              "amount. Earnings from work now count after a disregard of 200 yuan a month.</p>"),
        ],
    },
}

NOTICE_REVIEW = {
    "cls": "NoticePage",
    "slug": "review-2026-h1",
    "zh": {
        "title": "2026年上半年城市低保复核工作安排",
        "summary": "2026年3月至5月，各社区对城市低保家庭进行入户复核，请低保家庭配合并如实报告变化。",
        "date": dt.date(2026, 2, 25),
        "valid_until": dt.date(2026, 5, 31),
        "issuer": "定远县民政局",
        "body": [
            p("<p>根据城市低保每年复核两次的规定，2026年3月1日至5月31日，各社区工作人员将按纳入低保的先后顺序上门复核。</p>"
              "<ul><li>收入超过低保标准的，按规定停发；</li><li>收入减少的，及时调整保障金；</li>"
              "<li>家庭成员就业的，可按规定享受收入扣减和过渡期待遇。</li></ul>"),
        ],
    },
    "en": {
        "title": "Urban reviews, first half of 2026",
        "summary": "From March to May 2026 community staff visit urban recipient households for the half-yearly review.",
        "date": dt.date(2026, 2, 25),
        "valid_until": dt.date(2026, 5, 31),
        "issuer": "Dingyuan County Civil Affairs Bureau",
        "body": [
            p("<p>Urban households are reviewed twice a year. From 1 March to 31 May 2026 community staff visit "
              "households in the order they joined.</p><ul><li>Income above the standard ends the benefit;</li>"
              "<li>lower income raises it;</li><li>members who found work may get the disregard and the "
              "transition benefit.</li></ul>"),
        ],
    },
}

PUBLIC_NOTICE = {
    "cls": "PublicNoticePage",
    "slug": "public-notice",
    "zh": {
        "title": "低保审批结果公示",
        "summary": "县民政局批准的低保家庭，在公示期内公示，期满自动撤下。",
        "intro": "<p>以下家庭经县民政局审批同意纳入（或调整）城乡低保，现予公示。</p>",
        "stages": "approved",
        "region_code": "341125",
        "objection_contact": "定远县民政局 0550-4020000",
    },
    "en": {
        "title": "Public notice of approved households",
        "summary": "Households approved by the county bureau are listed during their notice period, then removed.",
        "intro": "<p>The households below have been approved (or had their benefit changed) by the county "
                 "bureau.</p>",
        "stages": "approved",
        "region_code": "341125",
        "objection_contact": "Dingyuan County Civil Affairs Bureau 0550-4020000",
    },
}

# The notice after the democratic appraisal: these households are NOT approved yet [R1][R2][R5].
APPRAISAL_NOTICE = {
    "cls": "PublicNoticePage",
    "slug": "appraisal-notice",
    "zh": {
        "title": "低保民主评议结果公示",
        "summary": "经入户调查和民主评议的低保申请，在公示期内公示，接受群众监督；期满自动撤下。",
        "intro": "<p>以下家庭的低保申请已经入户调查和民主评议，现将评议结果予以公示。名单中的家庭尚未获得批准："
                 "公示期满无异议的，报乡镇（街道）审核、县民政局审批，批准的家庭另行公示。</p>",
        "stages": "appraisal",
        "region_code": "341125",
        "objection_contact": "定远县民政局 0550-4020000",
    },
    "en": {
        "title": "Public notice of appraisal results",
        "summary": "Applications that have been through the home survey and the democratic appraisal are listed "
                   "during their notice period for public scrutiny, then removed.",
        "intro": "<p>The applications below have been through the home survey and the democratic appraisal. These "
                 "households have not been approved yet: if no objection is raised during the notice period, the "
                 "township (street) reviews the case and the county bureau decides; approved households are listed "
                 "in a separate notice.</p>",
        "stages": "appraisal",
        "region_code": "341125",
        "objection_contact": "Dingyuan County Civil Affairs Bureau 0550-4020000",
    },
}

# --- the tree ------------------------------------------------------------------------------

HOME = {
    "cls": "HomePage",
    "slug": "portal",
    "zh": {
        "title": "再就业与低保服务",
        "summary": "定远县城乡低保与就业、培训一站式服务",
        "intro": "<p>定远县城乡居民最低生活保障（低保）与就业、培训一站式服务。在这里了解政策、测算是否符合条件、"
                 "查看办事指南、岗位和培训；低保对象用身份证号码登录后，可以查询自己的保障和求职情况。</p>",
        "body": [],
    },
    "en": {
        "title": "Reemployment and Minimum Living Guarantee Service",
        "summary": "Dingyuan County: the minimum living guarantee, jobs and training in one place",
        "intro": "<p>The minimum living guarantee (dibao), jobs and training of Dingyuan County in one place. Read "
                 "the rules, check roughly whether your household qualifies, find the service guides, vacancies "
                 "and courses. Recipients log in with their ID number to see their benefit and job search.</p>",
        "body": [],
    },
    "children": [
        {
            "cls": "PolicyIndexPage", "slug": "policies",
            "zh": {"title": "政策指南", "summary": "低保条件、分类和金额，申请程序，就业激励，诚信与监督",
                   "intro": "<p>用通俗的话讲清楚低保政策。</p>"},
            "en": {"title": "Policy guides", "summary": "Who qualifies, the procedure, work incentives, integrity",
                   "intro": "<p>The rules in plain words.</p>"},
            "children": [GUIDE_ELIGIBILITY, GUIDE_PROCEDURE, GUIDE_WORK, GUIDE_INTEGRITY],
        },
        {
            "cls": "ServiceIndexPage", "slug": "services",
            "zh": {"title": "办事指南", "summary": "到哪里办、带什么材料、怎么办",
                   "intro": "<p>各乡镇便民服务中心设“一门受理、协同办理”窗口，困难群众求助有门。</p>"},
            "en": {"title": "Service guides", "summary": "Where to go, what to bring, what happens",
                   "intro": "<p>Every township service centre has a one-stop window for social assistance.</p>"},
            "children": [SERVICE_APPLY, SERVICE_JOBSEEKER],
        },
        {
            "cls": "NoticeIndexPage", "slug": "notices",
            "zh": {"title": "公告公示", "summary": "标准调整、工作安排和低保公示", "intro": ""},
            "en": {"title": "Notices", "summary": "Standards, review schedules and public notices", "intro": ""},
            "children": [PUBLIC_NOTICE, APPRAISAL_NOTICE, NOTICE_STANDARDS, NOTICE_REVIEW],
        },
        {
            "cls": "SelfCheckPage", "slug": "self-check",
            "zh": {"title": "低保自助测算", "summary": "填写家庭人口、收入和财产，估算是否符合条件和保障金",
                   "intro": "<p>不用填写姓名和身份证号码，填写的内容不会保存。</p>", "region_code": "341125",
                   "disclaimer": "<p>测算使用与审批相同的计算规则和现行标准，但只是估算，以入户调查、民主评议和审批结果为准。</p>"},
            "en": {"title": "Self-check", "summary": "Enter household size, income and assets for an estimate",
                   "intro": "<p>No name or ID number is asked for, and nothing you enter is stored.</p>",
                   "region_code": "341125",
                   "disclaimer": "<p>The self-check uses the same rules and standards as the case work, but it is "
                                 "an estimate: the home survey, appraisal and approval decide.</p>"},
        },
        {
            "cls": "VacancyListingPage", "slug": "jobs",
            "zh": {"title": "岗位信息", "summary": "县劳动就业局发布的正在招聘的岗位", "region_code": "341125",
                   "intro": "<p>县劳动就业局核实发布的岗位。可以用自己的话搜索，例如“会开车，想上白班”。</p>"},
            "en": {"title": "Vacancies", "summary": "Open vacancies posted by the county labour bureau",
                   "region_code": "341125",
                   "intro": "<p>Vacancies checked and posted by the county labour bureau. Search in your own "
                            "words.</p>"},
        },
        {
            "cls": "CourseListingPage", "slug": "training",
            "zh": {"title": "培训课程", "summary": "正在招生的免费职业技能培训", "region_code": "341125",
                   "intro": "<p>根据求职人员的培训意愿开设，培训补贴与结业质量和就业输出率挂钩。</p>"},
            "en": {"title": "Training courses", "summary": "Free vocational courses open for enrolment",
                   "region_code": "341125",
                   "intro": "<p>Planned from what job seekers asked for; providers are paid by completion and "
                            "placement.</p>"},
        },
        {
            "cls": "TipOffPage", "slug": "report",
            "zh": {"title": "举报", "summary": "举报骗保、人情保、关系保，可匿名", "region_code": "341125",
                   "intro": "<p>发现隐瞒收入骗取低保、优亲厚友、索要好处费等情况，请在这里举报。可以匿名；实名举报的，我们会反馈处理结果。</p>",
                   "thank_you": "<p>我们会在15个工作日内核实处理。谢谢您的监督！</p>"},
            "en": {"title": "Report", "summary": "Report fraud or favouritism, anonymously if you wish",
                   "region_code": "341125",
                   "intro": "<p>Report hidden income, favouritism or requests for bribes here. You may stay "
                            "anonymous; leave a contact if you want to hear the outcome.</p>",
                   "thank_you": "<p>We will look into it within 15 working days. Thank you.</p>"},
        },
        {
            "cls": "SearchPage", "slug": "search",
            "zh": {"title": "站内搜索", "summary": ""},
            "en": {"title": "Search", "summary": ""},
        },
    ],
}
