"""Wording of the law 09-08 notice and consent receipt, in Arabic and French.

Whole sentences with named placeholders, never fragments glued together: Arabic word order
differs. The title, headings, labels and short formulas are gettext msgids too
(`LABEL_MSGIDS`, used by `catalog_texts`), so translators can correct them in the catalogs;
the legal paragraphs stay here as reviewed whole texts. Replace an entry
(``dataclasses.replace``) to print other wording.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from jisr_desktop.i18n import N_, translate


@dataclass(frozen=True)
class ConsentTexts:
    """Every string printed on the consent receipt, in one language."""

    title: str
    intro: str
    page_label: str
    heading_person: str
    label_name_ar: str
    label_name_latin: str
    label_cin: str
    label_birth_date: str
    label_guardian: str
    label_file_code: str
    heading_controller: str
    label_center: str
    label_managing_body: str
    label_address: str
    label_phone: str
    label_email: str
    label_cndp: str
    cndp_missing: str
    heading_purposes: str
    heading_data: str
    heading_recipients: str
    heading_retention: str
    retention_sentence: str
    heading_rights: str
    rights: str
    heading_consent: str
    consent_statement: str
    made_at: str
    made_on: str
    receipt_code: str
    signature_person: str
    signature_staff: str
    signature_name: str
    copy_person: str
    copy_center: str
    default_purposes: tuple[str, ...]
    default_data: tuple[str, ...]
    default_sensitive: str
    default_recipients: str
    default_retention: str


ARABIC = ConsentTexts(
    title="إشعار بمعالجة المعطيات ذات الطابع الشخصي ووصل الموافقة",
    intro=(
        "طبقا للقانون رقم 09.08 المتعلق بحماية الأشخاص الذاتيين تجاه معالجة المعطيات ذات "
        "الطابع الشخصي، يخبركم {center} بالمعطيات التي يجمعها عنكم، وبأغراض معالجتها، "
        "وبالجهات التي تتلقاها، وبمدة حفظها، وبحقوقكم."
    ),
    page_label="صفحة {page} من {pages}",
    heading_person="الشخص المعني",
    label_name_ar="الاسم الكامل (بالعربية)",
    label_name_latin="الاسم الكامل (بالحروف اللاتينية)",
    label_cin="رقم البطاقة الوطنية",
    label_birth_date="تاريخ الازدياد",
    label_guardian="الولي أو النائب القانوني",
    label_file_code="رقم الملف",
    heading_controller="المسؤول عن المعالجة",
    label_center="المركز",
    label_managing_body="الجهة المسيرة",
    label_address="العنوان",
    label_phone="الهاتف",
    label_email="البريد الإلكتروني",
    label_cndp="مرجع التصريح لدى اللجنة الوطنية",
    cndp_missing="غير مدخل: لم يسجل المركز بعد رقم تصريحه لدى اللجنة الوطنية",
    heading_purposes="أغراض المعالجة",
    heading_data="المعطيات المحفوظة",
    heading_recipients="الجهات المتلقية",
    heading_retention="مدة الحفظ",
    retention_sentence="تحفظ المعطيات مدة {retention}، ثم تحذف أو تجعل مجهولة الهوية.",
    heading_rights="حقوقكم",
    rights=(
        "يحق لكم الولوج إلى معطياتكم، وطلب تصحيحها أو تحيينها، والتعرض لمعالجتها لأسباب "
        "مشروعة، وسحب موافقتكم في أي وقت، وذلك بطلب يقدم إلى إدارة المركز. ويحق لكم تقديم "
        "شكاية إلى اللجنة الوطنية لمراقبة حماية المعطيات ذات الطابع الشخصي (CNDP)."
    ),
    heading_consent="الموافقة",
    consent_statement=(
        "أقر أنا الموقع(ة) أسفله بأنني اطلعت على هذا الإشعار وفهمت مضمونه، وأوافق على معالجة "
        "المعطيات المذكورة أعلاه للأغراض المبينة فيه."
    ),
    made_at="حرر في {place} بتاريخ {date}",
    made_on="حرر بتاريخ {date}",
    receipt_code="رقم الوصل: {code}",
    signature_person="توقيع المعني(ة) بالأمر أو وليه",
    signature_staff="توقيع الموظف(ة) وختم المركز",
    signature_name="الاسم: {name}",
    copy_person="نسخة المعني(ة) بالأمر",
    copy_center="نسخة المركز (تحفظ في الملف)",
    default_purposes=(
        "استقبال الأسر والإنصات إليها وتوجيهها ومواكبتها نحو البرامج العمومية",
        "تسيير خدمات المركز (الحضانة الاجتماعية، نادي المسنين، الورشات، الوساطة الأسرية)",
        "تسجيل الحضور وتتبع الخدمات المقدمة",
        "إعداد مؤشرات إحصائية مجمعة لا تكشف هوية الأشخاص",
    ),
    default_data=(
        "الهوية: الاسم العائلي والشخصي، الجنس، تاريخ الازدياد، رقم البطاقة الوطنية إن وجد",
        "معطيات الاتصال: الهاتف والعنوان",
        "الخدمات المقدمة والحضور والتوجيهات نحو البرامج العمومية",
        "بالنسبة للأطفال: أولياء الأمور، والأشخاص المأذون لهم بتسلم الطفل، والحساسية والملاحظات الطبية الضرورية",
    ),
    default_sensitive=(
        "المعطيات الصحية ومعطيات الأطفال معطيات حساسة: تحفظ مشفرة، ولا يطلع عليها إلا "
        "الموظفون المأذون لهم."
    ),
    default_recipients=(
        "موظفو المركز المأذون لهم، والإدارة المركزية في حدود المؤشرات الإحصائية. لا تنقل "
        "ملاحظات الإنصات أو الوساطة خارج المركز."
    ),
    default_retention="خمس سنوات بعد آخر خدمة",
)

FRENCH = ConsentTexts(
    title="Notice d'information et reçu de consentement — données personnelles",
    intro=(
        "Conformément à la loi n° 09-08 relative à la protection des personnes physiques à "
        "l'égard du traitement des données à caractère personnel, {center} vous informe des "
        "données qu'il recueille à votre sujet, des finalités de leur traitement, de leurs "
        "destinataires, de leur durée de conservation et de vos droits."
    ),
    page_label="Page {page} sur {pages}",
    heading_person="Personne concernée",
    label_name_ar="Nom complet (en arabe)",
    label_name_latin="Nom complet (en caractères latins)",
    label_cin="N° de CIN",
    label_birth_date="Date de naissance",
    label_guardian="Tuteur ou représentant légal",
    label_file_code="N° de dossier",
    heading_controller="Responsable du traitement",
    label_center="Centre",
    label_managing_body="Organisme gestionnaire",
    label_address="Adresse",
    label_phone="Téléphone",
    label_email="Courriel",
    label_cndp="Référence de la déclaration à la CNDP",
    cndp_missing="Non renseigné : le centre n'a pas encore saisi son numéro de déclaration à la CNDP",
    heading_purposes="Finalités du traitement",
    heading_data="Données conservées",
    heading_recipients="Destinataires",
    heading_retention="Durée de conservation",
    retention_sentence="Les données sont conservées {retention}, puis supprimées ou anonymisées.",
    heading_rights="Vos droits",
    rights=(
        "Vous disposez d'un droit d'accès à vos données, d'un droit de rectification, d'un "
        "droit d'opposition pour des motifs légitimes et du droit de retirer votre consentement "
        "à tout moment, par une demande adressée à la direction du centre. Vous pouvez "
        "adresser une réclamation à la Commission nationale de contrôle de la protection des "
        "données à caractère personnel (CNDP)."
    ),
    heading_consent="Consentement",
    consent_statement=(
        "Je soussigné(e) déclare avoir pris connaissance de la présente notice et en avoir "
        "compris le contenu, et consens au traitement des données ci-dessus pour les "
        "finalités indiquées."
    ),
    made_at="Fait à {place}, le {date}",
    made_on="Fait le {date}",
    receipt_code="N° du reçu : {code}",
    signature_person="Signature de la personne concernée ou de son tuteur",
    signature_staff="Signature de l'agent(e) et cachet du centre",
    signature_name="Nom : {name}",
    copy_person="Exemplaire de la personne concernée",
    copy_center="Exemplaire du centre (à classer au dossier)",
    default_purposes=(
        "Accueil, écoute, orientation et accompagnement des familles vers les programmes publics",
        "Gestion des services du centre (crèche sociale, club des personnes âgées, ateliers, médiation familiale)",
        "Enregistrement des présences et suivi des services rendus",
        "Production d'indicateurs statistiques agrégés, sans identification des personnes",
    ),
    default_data=(
        "Identité : nom et prénom, sexe, date de naissance, n° de CIN le cas échéant",
        "Coordonnées : téléphone et adresse",
        "Services rendus, présences et orientations vers les programmes publics",
        "Pour les enfants : tuteurs, personnes autorisées à venir chercher l'enfant, allergies et "
        "remarques médicales nécessaires",
    ),
    default_sensitive=(
        "Les données de santé et les données relatives aux enfants sont sensibles : elles sont "
        "chiffrées et seules les personnes habilitées y ont accès."
    ),
    default_recipients=(
        "Le personnel habilité du centre ; l'administration centrale pour les seuls indicateurs "
        "statistiques. Les notes d'écoute et de médiation ne quittent pas le centre."
    ),
    default_retention="cinq ans après le dernier service",
)

TEXTS: dict[str, ConsentTexts] = {"ar": ARABIC, "fr": FRENCH}


# The short strings of the receipt as catalog entries (the catalogs hold the wording above).
LABEL_MSGIDS: dict[str, str] = {
    "title": N_("Personal-data notice and consent receipt"),
    "page_label": N_("Page {page} of {pages}"),
    "heading_person": N_("Person concerned"),
    "label_name_ar": N_("Full name (in Arabic)"),
    "label_name_latin": N_("Full name (in Latin letters)"),
    "label_cin": N_("National ID card (CIN) number"),
    "label_birth_date": N_("Date of birth"),
    "label_guardian": N_("Guardian or legal representative"),
    "label_file_code": N_("File no."),
    "heading_controller": N_("Data controller"),
    "label_center": N_("Center"),
    "label_managing_body": N_("Managing body"),
    "label_address": N_("Address"),
    "label_phone": N_("Phone"),
    "label_email": N_("E-mail"),
    "label_cndp": N_("Reference of the declaration to the CNDP"),
    "heading_purposes": N_("Purposes of the processing"),
    "heading_data": N_("Data kept"),
    "heading_recipients": N_("Recipients"),
    "heading_retention": N_("Retention period"),
    "retention_sentence": N_("The data is kept {retention}, then deleted or anonymised."),
    "heading_rights": N_("Your rights"),
    "heading_consent": N_("Consent"),
    "made_at": N_("Done at {place} on {date}"),
    "made_on": N_("Done on {date}"),
    "receipt_code": N_("Receipt no.: {code}"),
    "signature_person": N_("Signature of the person concerned or of their guardian"),
    "signature_staff": N_("Signature of the staff member and stamp of the center"),
    "signature_name": N_("Name: {name}"),
    "cndp_missing": N_("Not entered: the center has not yet recorded its CNDP declaration number"),
    "copy_person": N_("Copy for the person concerned"),
    "copy_center": N_("Copy for the center (to be filed)"),
}


def catalog_texts(lang: str) -> ConsentTexts:
    """The built-in texts of ``lang`` with the short strings taken from the gettext catalogs
    (each one kept as built in when the catalog has no translation)."""
    base = TEXTS[lang]
    found: dict[str, Any] = {name: translate(msgid, lang) for name, msgid in LABEL_MSGIDS.items()}
    return replace(base, **{name: text for name, text in found.items() if text != LABEL_MSGIDS[name]})
