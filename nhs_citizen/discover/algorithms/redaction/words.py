"""Word lists for the name rules (lower case). Kept apart so names.py reads as rules."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Forenames and surnames that are also everyday English words: names only with a title, a cue
# or another name next to them.
AMBIGUOUS = _words(
    """will may hope grace faith joy rose summer daisy holly ivy pat bill mark sue jack frank
    dawn april june amber ruby jade crystal rich rob sunny dean victor art guy max ray gene
    robin jay jean carol eve don drew chase hunter skip bob sky sandy rusty penny honey
    precious comfort patience mercy blessing angel star ali lee sam jo jan jun li lin ho
    lam chan wei mei hui ling xin minh linh ana nick dale hall wood hill green white brown
    black king cook bell hunt young day west price fox ford ball lane page little lord stone
    swift short marsh moss lamb hart read sharp wells woods grant burns long winter summers
    mills barnes brooks porter potter baker mason fisher butler carter turner cooper parker
    gardner ward rice gill obi eze lucas norris wade rowe cole bishop steele swan wain
    holt kemp dyer lambert sheppard ryder savage pratt preston rhodes norton grey
    gray wing iris heather poppy hazel willow autumn sage river"""
)

# Capitalised words that are never names: places, organisations, the NHS, days and months,
# and everyday words that start sentences or follow "thank you".
STOP = _words(
    """the a an and but or so if then than i we you he she it they me us him them my our your
    his her its their this that these those there here what when where why how who whom
    which very really thank thanks thankyou ty cheers please yes no not all any every
    everyone everybody everything nothing something someone anyone staff team teams great
    good excellent lovely kind amazing brilliant fantastic friendly helpful nice well just
    also overall after before at on in from to for with by of as because although though
    even once only again always never sometimes would could should can cannot did do does
    had has have was were is are be been being am might must shall got get went go came come
    took take made make saw see told said asked felt feel found gave kept left let seemed
    waited wait stayed stay absolutely lots much many more most less some other others same
    such own one two three four five six first second third last next new old long quick
    quickly slow happy sad sorry ok okay hi hello dear regards best kindest wonderful
    outstanding superb professional caring polite rude efficient prompt hospital hospitals
    trust trusts nhs gp gps ae a&e ward wards unit units surgery surgeries practice centre
    center clinic clinics department dept service services health healthcare care
    medical emergency ambulance ambulances paramedic paramedics pharmacy pharmacist chemist
    reception receptionist receptionists practitioner nurse nurses doctor doctors consultant
    consultants surgeon surgeons midwife midwives matron sister sisters physio physios
    physiotherapy royal general infirmary university community council county city town
    street road lane avenue close drive way park house court station covid coronavirus
    vaccine vaccination booster christmas easter english british uk england scotland wales
    ireland britain london north south east west northern southern eastern western upper
    lower central monday tuesday wednesday thursday friday saturday sunday january
    february march august september october november december mon tue wed thu fri sat sun
    jan feb mar apr jun jul aug sep sept oct nov dec mental maternity children childrens
    outpatients outpatient inpatient inpatients radiology oncology cardiology urology
    xray x-ray mri ct scan blood bloods test tests dental dentist eye eyes ear ears nose
    district mr mrs ms miss mx dr prof professor sir dame lady lord rev father
    mother mum mom dad husband wife son daughter baby brother partner friend carer
    grandad grandma nan nanna granny auntie uncle aunt cousin patient patients visitor
    visitors family friends intensive critical acute ed icu itu hdu
    amu cdu sdec ooh ems hca hcas assistant porter porters volunteer volunteers manager
    managers people person gentleman gentlemen man woman men women girl girls boy boys guys
    google facebook twitter instagram youtube whatsapp email text phone online app website
    internet lockdown pandemic ukhsa cqc pals dwp dvla gov bank holiday holidays
    am pm morning afternoon evening night today yesterday tomorrow weekend week month year
    lol omg etc eg ie nb ps pps god jesus christ allah heaven ladies chap fella
    whoever somebody nobody both each st saint doc however subsequently
    especially unfortunately eventually finally luckily sadly basically obviously initially
    afterwards otherwise meanwhile instead thankfully hopefully apparently generally
    previously recently currently definitely certainly honestly personally indeed
    into onto upon back out up down off over visit visits appointment appointments referral
    letter letters heart failure stroke cancer diabetes respiratory dementia pain stop ask
    tell give keep call ring help train hire pay listen treat send check seeing
    employ improve provide ensure need needs maybe perhaps speed support group groups
    chemo wing pharmacist's crew crews shift shifts desk theatre theatres recovery resus
    triage discharge lounge bay bays bed beds canteen cafe car parking play telly tv
    radio room rooms corridor lift lifts waiting area toilet toilets food tea coffee
    dinner lunch breakfast drugs meds medication tablets tablet inhaler jab jabs injection
    minutes mins hours hrs days weeks months years time times today tonight"""
)

# Lower-case words that are not names even after "thanks to" or a title ("thanks to all",
# "the dr said"). Added to STOP for lower-case checks.
COMMON = _words(
    """said says say was were is are be been has had have will would did do does told tell
    asked ask rang rung called call came come went go gave give took take made make saw
    seen see looked look spoke speak talked talk helped help explained explain listened
    listen sorted sort arrived arrive left leave kept keep put got get let came being
    appointment appointments surgery receptionist reception on call rota today yesterday
    so very much lot lots loads again everyone everybody all guys you u ya yall y'all
    folks for the a an and to too also who which what that this these those there here
    again really truly hugely massively ever enough soon later now then just only even
    team staff nurses doctors people lads ladies girls boys xx xxx x much more my your
    his her their our its it him them us me i we they she he no not never nothing none
    letter letters note notes form forms records record number details results result
    about after before since until while during with without within from at in on by of
    off up down out over under again good bad great best worst nice lovely rubbish
    am pm monday tuesday wednesday thursday friday saturday sunday week weekend
    kind help care caring support patience time everything nhs dob quicker sooner faster
    slower better worse later earlier asap first straight please band alot ok okay yet
    still either neither both each every any some"""
)

TITLES = _words("dr mr mrs ms miss mx prof professor sir dame rev revd")
ROLES = _words(
    """doctor nurse sister matron midwife paramedic consultant surgeon registrar pharmacist
    physio physiotherapist receptionist dentist therapist counsellor hca porter carer
    technician radiographer sonographer anaesthetist optician podiatrist dietitian dietician
    practitioner psychiatrist psychologist gp doc chaplain cleaner volunteer medic cpn
    ot salt"""
)
RELATIONS = _words(
    """husband wife son daughter mum mom mam mother dad father partner brother sister nan
    nana nanna gran granny grandma grandmother grandad granddad grandpa grandfather
    grandson granddaughter friend carer baby boy girl uncle auntie aunt niece nephew cousin
    fiance fiancee boyfriend girlfriend neighbour stepson stepdaughter child kid"""
)
# A name followed by one of these is an organisation or a place: "Victoria Hospital".
ORG_WORDS = _words(
    """hospital hospitals trust trusts team ward wards surgery surgeries practice centre
    center clinic clinics department unit services service health healthcare medical
    general infirmary university council road street lane avenue station pharmacy
    ambulance nhs hospice house park gp school college court group primary
    partnership foundation teaching royal memorial community district wing building suite
    unit's ward's hall institute charity society association fund appeal"""
)
# Words before a capitalised word that make it part of a place or organisation name.
ORG_BEFORE = _words("st saint queen king prince princess royal the")
PARTICLES = _words(
    "van von de der den da di du le la al el bin bint ibn ap ó o ní nic mac ua st dos das del"
)
CONTRACTIONS = ("'ve", "'m", "'d", "'ll", "'re", "'t", "n't")
