# ruff: noqa: E501  (the page templates copy real markup, long lines and all)
"""Write the format fixtures of this folder from ``articles.py`` (invented text).

Run from the repository root: ``python tests/data/formats/make_fixtures.py``. The HTML
pages copy the markup habits of three publishing systems (a WordPress theme, an Arc-style
React page with JSON-LD, a BBC-style page with data attributes), each with navigation,
ads, a cookie banner, related links, comments and scripts around the article. The PDF
needs fpdf2 and the DOCX python-docx at generation time only: the generated files are
committed, so the tests need neither generator.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import articles as A  # noqa: E402

E = html.escape

COMMON_CHROME_TOP = """
<div id="cookie-banner" class="cookie-consent">
  <p>We use cookies to improve your experience and to show you personalised advertising.
  By clicking Accept you agree to our use of cookies.</p>
  <button>Accept all cookies</button> <button>Manage preferences</button>
</div>
"""


def wordpress(a: dict) -> str:
    paras = "\n".join(f"<p>{E(p)}</p>" for p in a["paragraphs"])
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": a["outlet"], "url": "https://riversidecourier.example/"},
            {
                "@type": "NewsArticle",
                "headline": a["title"],
                "datePublished": a["date"] + "T21:05:00+00:00",
                "dateModified": "2025-03-15T08:00:00+00:00",
                "author": {"@type": "Person", "name": a["author"]},
                "publisher": {"@type": "Organization", "name": a["outlet"]},
                "mainEntityOfPage": a["url"],
            },
        ],
    }
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{E(a["title"])} &#8211; {E(a["outlet"])}</title>
<link rel="canonical" href="{a["url"]}">
<meta property="og:type" content="article">
<meta property="og:title" content="{E(a["title"])}">
<meta property="og:site_name" content="{E(a["outlet"])}">
<meta property="og:url" content="{a["url"]}">
<meta property="article:published_time" content="{a["date"]}T21:05:00+00:00">
<meta name="author" content="{E(a["author"])}">
<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(ld)}</script>
<link rel='stylesheet' id='twentytwenty-style-css' href='https://riversidecourier.example/wp-content/themes/courier/style.css?ver=6.4' media='all'>
<script src="https://riversidecourier.example/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>
</head>
<body class="post-template-default single single-post postid-48213 single-format-standard">
{COMMON_CHROME_TOP}
<header id="site-header" class="header-footer-group">
  <div class="site-title"><a href="https://riversidecourier.example/">{E(a["outlet"])}</a></div>
  <nav class="primary-menu-wrapper" aria-label="Horizontal">
    <ul class="primary-menu">
      <li class="menu-item"><a href="/">Home</a></li>
      <li class="menu-item"><a href="/category/local/">Local news</a></li>
      <li class="menu-item"><a href="/category/sport/">Sport</a></li>
      <li class="menu-item"><a href="/category/weather/">Weather</a></li>
      <li class="menu-item"><a href="/subscribe/">Subscribe to our newsletter</a></li>
    </ul>
  </nav>
</header>
<div class="ad-slot ad-leaderboard"><span class="ad-label">Advertisement</span>
<script>document.write('<div class="ad">Buy the new Velocity 3000 today: 20% off this week only!</div>');</script>
</div>
<main id="site-content" role="main">
<article class="post-48213 post type-post status-publish format-standard hentry category-local" id="post-48213">
  <header class="entry-header has-text-align-center">
    <div class="entry-categories"><a href="/category/local/" rel="category tag">Local news</a></div>
    <h1 class="entry-title">{E(a["title"])}</h1>
    <div class="post-meta-wrapper">
      <ul class="post-meta">
        <li class="post-author meta-wrapper">Posted by <a href="/author/mostrander/">{E(a["author"])}</a></li>
        <li class="post-date meta-wrapper"><time datetime="{a["date"]}T21:05:00+00:00">14 March 2025</time></li>
      </ul>
    </div>
  </header>
  <div class="post-inner thin">
    <div class="entry-content">
{paras}
    </div>
  </div>
  <div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this article</h3>
    <ul><li><a href="#">Facebook</a></li><li><a href="#">X</a></li><li><a href="#">Email</a></li></ul>
  </div>
</article>
<aside class="related-posts">
  <h2>Related stories</h2>
  <ul>
    <li><a href="/2025/03/10/council-approves-new-budget/">Council approves new budget after long debate</a></li>
    <li><a href="/2025/02/28/mill-street-bakery-reopens/">Mill Street bakery reopens after repairs</a></li>
  </ul>
</aside>
<div id="comments" class="comments-wrapper section-inner">
  <div class="comments" id="comments-list">
    <h2 class="comment-reply-title">3 replies on &ldquo;{E(a["title"])}&rdquo;</h2>
    <div class="comment" id="comment-901">
      <div class="comment-author vcard"><b class="fn">RiverWatcher</b> <span class="says">says:</span></div>
      <div class="comment-content"><p>This happens every ten years and nobody ever fixes the wall. Disgraceful.</p></div>
      <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>
    </div>
    <div class="comment" id="comment-902">
      <div class="comment-author vcard"><b class="fn">Anna K.</b> <span class="says">says:</span></div>
      <div class="comment-content"><p>Thinking of everyone on Mill Street tonight, stay safe.</p></div>
      <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>
    </div>
  </div>
  <div id="respond" class="comment-respond"><h2 id="reply-title">Leave a comment</h2>
    <form><textarea name="comment"></textarea><input type="submit" value="Post Comment"></form>
  </div>
</div>
</main>
<aside id="secondary" class="widget-area">
  <section class="widget widget_recent_entries"><h2 class="widget-title">Most read</h2>
    <ul><li><a href="/2025/03/01/school-results/">School results are in</a></li></ul>
  </section>
</aside>
<footer id="site-footer"><p>&copy; 2025 {E(a["outlet"])}. All rights reserved.</p>
<p><a href="/privacy/">Privacy policy</a> | <a href="/contact/">Contact us</a></p></footer>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"event": "pageview"}});</script>
</body>
</html>
"""


def arc(a: dict) -> str:
    blocks = []
    for i, p in enumerate(a["paragraphs"]):
        if i in a.get("headings", {}):
            blocks.append(f'<h2 class="css-1w3mqrx eoo0vm40">{E(a["headings"][i])}</h2>')
        blocks.append(f'<div class="css-53u6y8"><p class="css-at9mc1 evys1bk0">{E(p)}</p></div>')
        if i == 1:
            blocks.append(
                '<div class="css-9tf9ac" data-testid="inline-ad"><div id="mid1-wrapper" '
                'class="ad mid1-wrapper"><p class="css-1k3jj3">Advertisement</p>'
                '<p class="css-1k3jj3">Continue reading the main story</p></div></div>'
            )
    body = "\n".join(blocks)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "description": "The county says 1,500 people have left their homes.",
        "mainEntityOfPage": a["url"],
        "url": a["url"],
        "headline": a["title"],
        "dateCreated": a["date"] + "T06:12:00.000Z",
        "datePublished": a["date"] + "T09:00:07.000Z",
        "dateModified": a["date"] + "T14:31:45.000Z",
        "author": [
            {
                "@type": "Person",
                "name": a["author"],
                "url": "https://www.dailyledger.example/by/jonah-pelletier",
            }
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": a["outlet"],
            "logo": {"@type": "ImageObject", "url": "https://static.dailyledger.example/logo.png"},
        },
        "isAccessibleForFree": False,
    }
    state = {
        "initialData": {
            "data": {
                "article": {
                    "sprinkledBody": "Hydrated state for the client renderer",
                    "related": ["The week in pictures"],
                }
            }
        }
    }
    return f"""<!DOCTYPE html>
<html lang="en" class="story nytapp-vi-article" xmlns:og="http://opengraphprotocol.org/schema/">
<head>
<meta charset="utf-8" />
<title data-rh="true">{E(a["title"])} - {E(a["outlet"])}</title>
<meta data-rh="true" name="description" content="The county says 1,500 people have left their homes."/>
<meta data-rh="true" property="og:url" content="{a["url"]}"/>
<meta data-rh="true" property="og:type" content="article"/>
<meta data-rh="true" property="og:title" content="{E(a["title"])}"/>
<meta data-rh="true" name="byl" content="By {E(a["author"])}"/>
<meta data-rh="true" property="article:published_time" content="{a["date"]}T09:00:07.000Z"/>
<link data-rh="true" rel="canonical" href="{a["url"]}"/>
<script data-rh="true" type="application/ld+json">{json.dumps(ld)}</script>
<script>window.__preloadedData = {json.dumps(state)};</script>
<style>.css-at9mc1{{margin-bottom:0.9375rem;font-family:ledger-serif}}</style>
</head>
<body>
<div id="app">
<div class="css-1r8gpe2" data-testid="gdpr-dock"><p>We use cookies to improve your experience. Accept all cookies or manage your privacy settings.</p><button>Accept all cookies</button></div>
<header class="css-ahe4g0 e1m0pzr40" data-testid="masthead-container">
  <nav data-testid="desktop-nested-nav" aria-label="Main">
    <ul class="css-1vxc2sl"><li><a href="/section/world">World</a></li><li><a href="/section/us">U.S.</a></li>
    <li><a href="/section/politics">Politics</a></li><li><a href="/section/business">Business</a></li>
    <li><a href="/account">Sign in</a></li><li><a href="/subscription">Subscribe to our newsletter</a></li></ul>
  </nav>
</header>
<div class="css-1hyfx7x" data-testid="top-wrapper"><div id="top-wrapper" class="ad top-wrapper"><p>Advertisement</p><p>SKIP ADVERTISEMENT</p></div></div>
<main id="site-content">
<article id="story" class="css-1vxca1d e1lmdhsb0">
  <header class="css-d92w6b e1h9ronm0">
    <h1 data-testid="headline" class="css-88wicj e1h9rw200">{E(a["title"])}</h1>
    <p id="article-summary" class="css-79rysd e1wiw3jv0">The county says 1,500 people have left their homes.</p>
    <div class="css-ypv8de"><p class="css-aknsld e1jsehar1">By <span class="css-1baulvz last-byline" itemprop="name">{E(a["author"])}</span></p>
    <time class="css-1w6h2mu e16638kd0" datetime="{a["date"]}T09:00:07.000Z">March 15, 2025</time></div>
    <div class="css-1rr4qq7" data-testid="share-tools"><button aria-label="Share full article">Share full article</button></div>
  </header>
  <section name="articleBody" itemprop="articleBody" class="meteredContent css-1r7ky0e">
{body}
  </section>
  <div class="bottom-of-article"><p>A version of this article appears in print on March 16, 2025, Section A, Page 8.</p></div>
</article>
<div class="css-1j8dw05" data-testid="recirculation"><h2>Related stories</h2>
  <ul><li><a href="/2025/03/10/world/rain-europe.html">Heavy Rain Sweeps the Region</a></li>
  <li><a href="/2025/02/02/climate/rivers.html">Rivers Are Running Higher Than a Decade Ago</a></li></ul>
  <h2>Most read</h2><ol><li><a href="/2025/03/14/style/spring.html">What to Wear This Spring</a></li></ol>
</div>
<div id="comments-panel" class="css-comments" data-testid="comments"><h3>Reader comments</h3>
  <div class="comment"><span class="comment-author">Walt from Ohio</span><p>Why was the wall never raised after the 2019 report?</p><a href="#">Reply</a></div>
</div>
</main>
<footer class="css-1e1s8k7"><nav><a href="/">Home</a> <a href="/help">Help</a></nav><p>&copy; 2025 {E(a["outlet"])} Company. All rights reserved.</p></footer>
</div>
<script>(function(){{var s=document.createElement('script');s.src='/vi-assets/static-assets/main.js';document.body.appendChild(s);}})();</script>
</body>
</html>
"""


def bbc(a: dict) -> str:
    texts = "\n".join(
        f'<div data-component="text-block" class="ssrcss-11r1m41-RichTextComponentWrapper ep2nwvo0">'
        f'<div class="ssrcss-7uxr49-RichTextContainer e5tfeyi1"><p class="ssrcss-1q0x1qg-Paragraph e1jhz7w10">{E(p)}</p></div></div>'
        for p in a["paragraphs"]
    )
    ld = {
        "@context": "http://schema.org",
        "@type": "ReportageNewsArticle",
        "url": a["url"],
        "publisher": {"@type": "NewsMediaOrganization", "name": a["outlet"]},
        "datePublished": a["date"] + "T17:42:11.000Z",
        "dateModified": a["date"] + "T18:02:00.000Z",
        "headline": a["title"],
        "author": {"@type": "Person", "name": a["author"]},
        "mainEntityOfPage": a["url"],
    }
    return f"""<!DOCTYPE html>
<html lang="en-GB" class="no-js">
<head>
<meta charSet="utf-8"/>
<title>{E(a["title"])} - {E(a["outlet"])} News</title>
<meta name="description" content="Divers and a helicopter join the search along the Tamsin."/>
<link rel="canonical" href="{a["url"]}"/>
<meta property="og:title" content="{E(a["title"])}"/>
<meta property="og:site_name" content="{E(a["outlet"])}"/>
<meta property="og:url" content="{a["url"]}"/>
<meta property="og:type" content="article"/>
<meta name="article:author" content="{E(a["author"])}"/>
<script type="application/ld+json">{json.dumps(ld)}</script>
<script>window.__INITIAL_DATA__="{{\\"data\\":{{\\"features\\":\\"Watch: floodwater in the town centre\\"}}}}";</script>
</head>
<body>
<div id="cookie-prompt" data-component="consent-banner" class="ssrcss-consent"><h2>Let us know you agree to cookies</h2>
<p>We use cookies to improve your experience and to give you the best online experience.</p>
<button>Yes, I agree</button><button>No, take me to settings</button></div>
<header role="banner" data-testid="header-banner">
<nav aria-label="{E(a["outlet"])}" class="ssrcss-global-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li><li><a href="/iplayer">Watch live</a></li><li><a href="/signin">Sign in</a></li></ul></nav>
<nav aria-label="News" class="ssrcss-news-nav"><ul><li><a href="/news/world">World</a></li><li><a href="/news/europe">Europe</a></li></ul></nav>
</header>
<div id="main-wrapper">
<main id="main-content" data-testid="main-content" class="ssrcss-1xt6rp9-StyledMain">
<article class="ssrcss-pv1rh6-ArticleWrapper e1nh2i2l5">
<header class="ssrcss-1eqcsb1-HeadingWrapper"><h1 id="main-heading" type="headline" tabindex="-1" class="ssrcss-15xko80-StyledHeading e10rt3ze0">{E(a["title"])}</h1></header>
<div data-component="byline-block" class="ssrcss-1ghfgpb-BylineComponentWrapper"><div class="ssrcss-68pt20-Text-TextContributorName">By {E(a["author"])}</div>
<div class="ssrcss-84ltp5-Text">Europe correspondent</div><time data-testid="timestamp" datetime="{a["date"]}T17:42:11.000Z">16 March 2025</time></div>
<div data-component="image-block" class="ssrcss-image"><figure><img src="/images/flood.jpg" alt="Flooded street"/><figcaption class="ssrcss-caption">Mill Street under water on Friday</figcaption></figure></div>
{texts}
<div data-component="links-block" class="ssrcss-links"><h2>Related stories</h2><ul>
<li><a href="/news/world-71230000">Watch: Boats rescue families from flooded homes</a></li>
<li><a href="/news/world-71220000">How do floods happen?</a></li></ul></div>
<div data-component="tag-list"><ul><li><a href="/news/topics/floods">Floods</a></li><li><a href="/news/topics/velmar">Velmar</a></li></ul></div>
</article>
<section data-component="comments" class="ssrcss-comments"><h2>Comments</h2><p class="comment-author">Posted by Dave</p><p>Great coverage as always, thank you.</p><a href="#">Reply</a></section>
<div data-component="ad-slot" class="ssrcss-ad"><p>Advertisement</p></div>
<section data-component="most-read" aria-labelledby="most-read-heading"><h2 id="most-read-heading">Most read</h2><ol><li><a href="/news/uk-1">Train strike dates announced</a></li></ol></section>
</main>
</div>
<footer data-testid="footer"><p>Copyright 2025 {E(a["outlet"])}. All rights reserved. {E(a["outlet"])} is not responsible for the content of external sites.</p></footer>
<script>document.write('<p>Read about our approach to external linking.</p>');</script>
</body>
</html>
"""


def make_pdf(a: dict, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(a["title"])
    pdf.set_author(a["author"])
    pdf.set_creation_date(dt.datetime.fromisoformat(a["date"] + "T10:00:00+00:00"))
    pdf.set_creator("make_fixtures.py")
    pdf.set_font("Helvetica", size=11)
    pdf.set_compression(True)
    for n, page in enumerate(a["pages"], 1):
        pdf.add_page()
        if n == 1:
            pdf.set_font("Helvetica", style="B", size=15)
            pdf.multi_cell(0, 8, a["title"])
            pdf.ln(4)
            pdf.set_font("Helvetica", size=11)
        for para in page:
            pdf.multi_cell(0, 6, para)
            pdf.ln(4)
        pdf.set_auto_page_break(False)
        pdf.set_y(-20)
        pdf.cell(0, 6, f"Page {n} of {len(a['pages'])}", align="C")
        pdf.set_auto_page_break(True, margin=25)
    pdf.output(str(path))


def make_docx(a: dict, path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.core_properties.title = a["title"]
    doc.core_properties.author = a["author"]
    doc.core_properties.created = dt.datetime.fromisoformat(a["date"] + "T20:00:00")
    doc.core_properties.modified = dt.datetime.fromisoformat(a["date"] + "T20:00:00")
    doc.core_properties.last_modified_by = a["author"]
    doc.add_heading(a["title"], level=0)
    for kind, text in a["blocks"]:
        if kind == "heading":
            doc.add_heading(text, level=2)
        else:
            doc.add_paragraph(text)
    doc.save(str(path))


def main() -> None:
    (HERE / A.WORDPRESS["file"]).write_text(wordpress(A.WORDPRESS), encoding="utf-8")
    (HERE / A.ARC["file"]).write_text(arc(A.ARC), encoding="utf-8")
    (HERE / A.BBC["file"]).write_text(bbc(A.BBC), encoding="utf-8")
    uk = A.UKRAINIAN
    (HERE / uk["file"]).write_text(
        uk["title"] + "\n\n" + "\n\n".join(uk["paragraphs"]) + "\n", encoding="utf-8"
    )
    make_pdf(A.PDF, HERE / A.PDF["file"])
    make_docx(A.DOCX, HERE / A.DOCX["file"])


if __name__ == "__main__":
    main()
