"""Moroccan given and family names in both scripts, with their usual Latin spellings."""

from __future__ import annotations

# (Arabic, [Latin spellings, most common first])
MALE = [
    ("محمد", ["Mohamed", "Mohammed", "Mohamad"]), ("أحمد", ["Ahmed", "Ahmad"]),
    ("يوسف", ["Youssef", "Yousef"]), ("عبد الله", ["Abdellah", "Abdallah"]),
    ("مصطفى", ["Mustapha", "Mostafa"]), ("حسن", ["Hassan", "Hasan"]), ("حسين", ["Hussein", "Houssine"]),
    ("عمر", ["Omar"]), ("علي", ["Ali"]), ("إبراهيم", ["Brahim", "Ibrahim"]), ("خالد", ["Khalid", "Khaled"]),
    ("سعيد", ["Said", "Saïd"]), ("رشيد", ["Rachid", "Rashid"]), ("هشام", ["Hicham", "Hisham"]),
    ("كريم", ["Karim"]), ("عبد الرحيم", ["Abderrahim"]), ("عبد القادر", ["Abdelkader", "Abdelkadir"]),
    ("إدريس", ["Driss", "Idriss"]), ("أيوب", ["Ayoub"]), ("ياسين", ["Yassine", "Yacine"]),
    ("نبيل", ["Nabil"]), ("مراد", ["Mourad", "Murad"]), ("عثمان", ["Othmane", "Otmane"]),
    ("جمال", ["Jamal", "Djamal"]), ("عزيز", ["Aziz"]), ("لحسن", ["Lahcen", "Lahsen"]),
    ("الحسين", ["El Houssaine", "Lhoussaine"]), ("امحمد", ["Mhamed", "Amhamed"]),
    ("زكرياء", ["Zakaria", "Zakariae"]), ("حمزة", ["Hamza"]), ("أنس", ["Anas"]),
    ("بلال", ["Bilal"]), ("مهدي", ["Mehdi"]), ("سفيان", ["Soufiane", "Sofiane"]),
    ("عادل", ["Adil", "Adel"]), ("طارق", ["Tarik", "Tariq"]), ("نور الدين", ["Noureddine"]),
    ("صلاح الدين", ["Salaheddine"]), ("عبد الرحمان", ["Abderrahmane"]), ("المهدي", ["El Mehdi"]),
]
FEMALE = [
    ("فاطمة", ["Fatima", "Fatma", "Fatimah"]), ("خديجة", ["Khadija", "Khadidja"]),
    ("عائشة", ["Aicha", "Aïcha", "Aisha"]), ("مريم", ["Meryem", "Maryam"]), ("زينب", ["Zineb", "Zaynab"]),
    ("سعاد", ["Souad"]), ("نادية", ["Nadia"]), ("حليمة", ["Halima"]), ("رشيدة", ["Rachida"]),
    ("مليكة", ["Malika"]), ("نعيمة", ["Naima", "Naïma"]), ("لطيفة", ["Latifa"]), ("سناء", ["Sanaa", "Sanae"]),
    ("هند", ["Hind"]), ("إيمان", ["Imane", "Iman"]), ("أسماء", ["Asmae", "Asmaa"]),
    ("سلمى", ["Salma"]), ("هاجر", ["Hajar"]), ("ياسمين", ["Yasmine"]), ("نجاة", ["Najat"]),
    ("كريمة", ["Karima"]), ("وفاء", ["Wafae", "Ouafae"]), ("حنان", ["Hanane", "Hanan"]),
    ("سميرة", ["Samira"]), ("فدوى", ["Fadoua", "Fadwa"]), ("بشرى", ["Bouchra", "Bushra"]),
    ("ليلى", ["Leila", "Laila"]), ("نوال", ["Naoual", "Nawal"]), ("إلهام", ["Ilham"]),
    ("غزلان", ["Ghizlane"]), ("سكينة", ["Sakina", "Soukaina"]), ("رقية", ["Rkia", "Roqia"]),
    ("أمينة", ["Amina"]), ("زهرة", ["Zahra", "Zohra"]), ("يامنة", ["Yamna"]), ("منى", ["Mouna", "Mona"]),
    ("دنيا", ["Dounia"]), ("آية", ["Aya"]), ("شيماء", ["Chaimae", "Chaimaa"]), ("هدى", ["Houda", "Hoda"]),
]
FAMILY = [
    ("العلوي", ["Alaoui", "El Alaoui"]), ("الإدريسي", ["El Idrissi", "Idrissi"]), ("بناني", ["Bennani"]),
    ("التازي", ["Tazi", "Ettazi"]), ("الفاسي", ["El Fassi", "Fassi"]), ("برادة", ["Berrada"]),
    ("بنجلون", ["Benjelloun"]), ("الشرقاوي", ["Cherkaoui", "Charkaoui"]), ("الحسني", ["El Hassani", "Hassani"]),
    ("آيت علي", ["Aït Ali", "Ait Ali"]), ("آيت أحمد", ["Aït Ahmed", "Ait Ahmed"]), ("أمزيان", ["Amziane"]),
    ("أوعلي", ["Ouali", "Ouali"]), ("بوزيد", ["Bouzid"]), ("الزياني", ["Zayani", "Ezzayani"]),
    ("المنصوري", ["Mansouri", "El Mansouri"]), ("الكتاني", ["Kettani", "El Kettani"]),
    ("السوسي", ["Soussi", "Essoussi"]), ("الريفي", ["Rifi", "Errifi"]), ("الدكالي", ["Doukkali"]),
    ("الصحراوي", ["Sahraoui"]), ("الوزاني", ["Ouazzani", "Wazzani"]), ("بنعلي", ["Benali"]),
    ("بن موسى", ["Benmoussa", "Ben Moussa"]), ("الحمداوي", ["Hamdaoui"]), ("الطاهري", ["Taheri", "Tahiri"]),
    ("المرابط", ["Mrabet", "El Mrabet"]), ("الخياري", ["Khiari"]), ("الجراري", ["Jirari", "Jerari"]),
    ("العمراني", ["Amrani", "El Amrani"]), ("القادري", ["Kadiri", "Qadiri"]), ("الرحماني", ["Rahmani"]),
    ("الصديقي", ["Seddiki", "Sedikki"]), ("بوعزة", ["Bouazza"]), ("الناصري", ["Naciri", "Nasiri"]),
    ("الحجوي", ["Hajoui"]), ("الشاوي", ["Chaoui"]), ("العبدلاوي", ["Abdellaoui"]), ("الغزاوي", ["Ghazaoui"]),
    ("أخريف", ["Akhrif"]), ("أزروال", ["Azeroual"]), ("أمغار", ["Amghar"]), ("إيبورك", ["Ibourk"]),
    ("بلحاج", ["Belhaj", "Belhadj"]), ("البقالي", ["Bakkali", "El Bakkali"]), ("التويمي", ["Touimi"]),
    ("الزهراوي", ["Zahraoui"]), ("السباعي", ["Sbai", "Sebbai"]), ("الشرايبي", ["Chraibi"]),
    ("الطالبي", ["Talbi", "Taleb"]), ("الفلاحي", ["Fellahi"]), ("الكبير", ["Kabir", "El Kabir"]),
    ("اللمتوني", ["Lamtouni"]), ("المساوي", ["Messaoui"]), ("الهواري", ["Houari"]), ("اليعقوبي", ["Yacoubi"]),
    ("ولد الحاج", ["Ould El Haj"]), ("بوشعيب", ["Bouchaib"]), ("الحيحي", ["Haihi"]), ("أوحمو", ["Ouhammou"]),
]
DISABILITY_TYPES = ["motor", "visual", "hearing", "intellectual", "psychological", "multiple"]
STREETS = ["حي السلام", "دوار أولاد علي", "حي النهضة", "زنقة الأمل", "حي الفتح", "دوار آيت يحيى",
           "حي المسيرة", "زنقة ابن بطوطة", "حي الرياض", "دوار الكدية"]
