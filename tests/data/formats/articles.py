"""The invented reports the format fixtures are made from (no third-party text).

``make_fixtures.py`` wraps them in the markup of different publishing systems; the tests
check that reading the files gives back exactly these paragraphs and this metadata."""

from __future__ import annotations

WORDPRESS = {
    "file": "riverside-courier.html",
    "title": "Velmar flood: river breaks its banks after three days of rain",
    "outlet": "The Riverside Courier",
    "author": "Maria Ostrander",
    "date": "2025-03-14",
    "url": "https://riversidecourier.example/2025/03/14/velmar-flood-river-breaks-banks/",
    "paragraphs": [
        "The Tamsin river broke its banks on Thursday night after three days of heavy "
        "rain, flooding the lower town of Velmar and forcing about 1,200 residents to "
        "leave their homes.",
        "County officials said 14 people were taken to hospital, most of them with minor "
        "injuries, and that two people were still missing on Friday morning.",
        "\u201cThe water came up faster than anyone expected,\u201d said Elena Varga, "
        "the head of the county emergency office, at a briefing in the town hall.",
        "Rescue teams used boats to reach families stranded on the upper floors of "
        "houses along Mill Street, where the water stood more than a metre deep.",
        "The regional weather service said another 40 millimetres of rain could fall "
        "over the weekend.",
    ],
}

ARC = {
    "file": "daily-ledger.html",
    "title": "Hundreds Flee as the Tamsin River Floods Velmar",
    "outlet": "The Daily Ledger",
    "author": "Jonah Pelletier",
    "date": "2025-03-15",
    "url": "https://www.dailyledger.example/2025/03/15/world/velmar-flood-evacuations.html",
    "headings": {3: "A town built on the water"},  # heading above paragraph 3 (0-based)
    "paragraphs": [
        "VELMAR \u2014 Hundreds of people spent a second night in school gyms and church "
        "halls on Friday after the Tamsin River flooded the lower half of this market "
        "town.",
        "The county emergency office put the number of people evacuated at 1,500, "
        "higher than the figure it gave on Thursday, and said 16 people had been treated "
        "in hospital.",
        "\u201cWe are counting house by house,\u201d said Elena Varga, who leads the "
        "office. \u201cThe numbers will change.\u201d",
        "Velmar grew up around a ford on the river in the fourteenth century, and its "
        "oldest streets lie only a few metres above the water.",
        "Engineers had warned in a 2019 report that the flood wall along Mill Street "
        "would not hold back a river running two metres above its usual level.",
    ],
}

BBC = {
    "file": "north-broadcasting.html",
    "title": "Velmar floods: Two still missing as waters begin to fall",
    "outlet": "North Broadcasting",
    "author": "Priya Castellanos",
    "date": "2025-03-16",
    "url": "https://www.northbroadcasting.example/news/world-71234567",
    "paragraphs": [
        "Two people are still missing in Velmar, where floodwater has begun to fall "
        "after the Tamsin river burst its banks on Thursday.",
        "Police said the search along the river would continue through Sunday, with "
        "divers and a helicopter joining the teams on the ground.",
        "About 1,200 people were evacuated from the lower town, according to the "
        "county, though some local councillors have given higher figures.",
        "Shopkeepers on Mill Street began carrying ruined stock out into the mud on "
        "Saturday afternoon.",
    ],
}

PDF = {
    "file": "press-release.pdf",
    "title": "Velmar County Emergency Office: Flood update",
    "author": "Velmar County Emergency Office",
    "date": "2025-03-15",
    "pages": [
        [
            "The Velmar County Emergency Office confirms that the Tamsin river rose "
            "above the flood wall on Mill Street at 23:40 on Thursday 13 March.",
            "A total of 1,500 residents have been evacuated from the lower town. Three "
            "reception centres are open at the Velmar High School, the Church of St "
            "Anne and the sports hall on Quarry Road.",
            "Sixteen people have received hospital treatment. Two residents of Mill "
            "Street are reported missing and the search continues.",
        ],
        [
            "Residents of the lower town should not return to their homes until the "
            "county engineers have inspected them.",
            "The next update will be published at 18:00 on Saturday 15 March.",
        ],
    ],
}

DOCX = {
    "file": "shelter-notes.docx",
    "title": "Notes from the Quarry Road shelter",
    "author": "Tomas Reyes",
    "date": "2025-03-15",
    "blocks": [
        ("heading", "Friday evening"),
        (
            "p",
            "About 300 people were sleeping in the sports hall on Quarry Road when I "
            "arrived at eight in the evening.",
        ),
        (
            "p",
            "Volunteers from the Red Cross handed out blankets and hot soup; one of "
            "them told me they had run out of camp beds by six.",
        ),
        ("heading", "Saturday morning"),
        (
            "p",
            "Several families said they had not been told when they could go home. "
            "A county official said engineers would start inspecting houses on Monday.",
        ),
    ],
}

UKRAINIAN = {
    "file": "ukrainian-report.txt",
    "title": "Повінь у Вельмарі: евакуйовано понад тисячу людей",
    "paragraphs": [
        "Річка Тамсін вийшла з берегів у ніч на п'ятницю після трьох днів сильних "
        "дощів. Вода затопила нижню частину міста Вельмар.",
        "За даними окружної служби надзвичайних ситуацій, з домівок евакуювали "
        "близько 1200 мешканців, а 14 людей доправили до лікарні.",
        "Рятувальники на човнах забирали родини з верхніх поверхів будинків на "
        "вулиці Млинській. Двоє людей досі вважаються зниклими безвісти.",
        "Синоптики попереджають, що у вихідні може випасти ще 40 міліметрів опадів.",
    ],
}

# Text of the page around the article (navigation, ads, banners, related links, comments,
# captions, script output): none may be in any passage or fact.
BOILERPLATE = (
    "We use cookies to improve your experience",
    "Accept all cookies",
    "Subscribe to our newsletter",
    "Advertisement",
    "Continue reading the main story",
    "Related stories",
    "Council approves new budget",
    "Watch: Boats rescue families",
    "Leave a comment",
    "Share this article",
    "Share full article",
    "Most read",
    "All rights reserved",
    "nobody ever fixes the wall",
    "Why was the wall never raised",
    "Great coverage as always",
    "Buy the new Velocity 3000",
    "Read about our approach to external linking",
    "Hydrated state for the client renderer",
    "Mill Street under water on Friday",
    "Europe correspondent",
    "Posted by",
    "RiverWatcher",
    "Page 1 of 2",
)
