"""Seed the proper channels (issue #3) that a station points people to instead of handling the
matter itself. Administrators edit the texts afterwards; the migration never overwrites them."""

from django.db import migrations

CHANNELS = [
    (
        "litigation",
        "涉法涉诉",
        "Lawsuits, arbitration, administrative reconsideration",
        "您反映的事项属于涉法涉诉问题（诉讼、仲裁、行政复议或已进入司法程序的案件），请依法向人民法院、"
        "人民检察院、仲裁机构或复议机关提出，可拨打12368诉讼服务热线咨询。人大代表联络站不替代上述法定途径。",
        "Your matter concerns a lawsuit, arbitration, administrative reconsideration or a case in "
        "judicial proceedings. Please raise it with the court, the procuratorate, the arbitration "
        "body or the reconsideration authority (court hotline 12368). The liaison station does not "
        "replace these legal channels.",
    ),
    (
        "discipline",
        "申诉、控告、检举",
        "Appeals, accusations and reports against state functionaries",
        "对公职人员的申诉、控告、检举，请向纪检监察机关反映：可登录中央纪委国家监委网站或拨打12388举报电话。",
        "Appeals, accusations and reports against state functionaries go to the discipline "
        "inspection and supervision authorities: the CCDI/NSC website or the 12388 hotline.",
    ),
    (
        "petition",
        "信访",
        "Petitions already in the letters-and-visits system",
        "您反映的事项已进入信访程序，请继续通过信访渠道跟进，可登录国家信访局网上信访平台查询办理进度。",
        "Your matter is already in the letters-and-visits (xinfang) system; please follow it up "
        "there, for example on the National Public Complaints and Proposals Administration website.",
    ),
    (
        "private",
        "个人利益与商业纠纷",
        "Personal-interest and commercial matters",
        "您反映的事项属于个人之间或商业性质的纠纷，建议通过协商、人民调解（可拨打12348公共法律服务热线）"
        "或依法向人民法院起诉解决。",
        "Your matter is a private or commercial dispute. Please seek negotiation, people's "
        "mediation (public legal service hotline 12348) or a court.",
    ),
    (
        "emergency",
        "紧急求助",
        "Emergencies",
        "紧急情况请立即拨打：报警110、火警119、急救120、交通事故122。联络站留言不能用于紧急求助。",
        "In an emergency call at once: police 110, fire 119, ambulance 120, traffic accidents 122. "
        "Messages to the liaison station are not for emergencies.",
    ),
    (
        "hotline",
        "政务服务热线",
        "Government service hotline",
        "您反映的事项可直接由政务服务便民热线办理，请拨打12345。",
        "Your matter can be handled directly by the government service hotline: please call 12345.",
    ),
]


def seed(apps, schema_editor):
    ReferralChannel = apps.get_model("cases", "ReferralChannel")
    for order, (code, name, name_en, guidance, guidance_en) in enumerate(CHANNELS, start=1):
        ReferralChannel.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "guidance": guidance,
                "guidance_en": guidance_en,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
