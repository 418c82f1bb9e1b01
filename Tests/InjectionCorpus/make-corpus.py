#!/usr/bin/python3
"""Writes the injection corpus of issue 20 into this folder (run it here: `python3 make-corpus.py`).

Every payload sets `window.pwned` (the first also the page title), so a page where one ran shows it, and every
payload names `pwned`, so a piece of one left in markup is found by that word. Read by
Tests/AnnalsWebTests/InjectionCorpusTests.swift and scripts/injection-browser.py.
"""
import csv
import html
import io

P = [
    "<script>window.pwned=1;document.title='PWNED'</script>",
    "<img src=x onerror=\"window.pwned=2\">",
    "<i onmouseover=\"window.pwned=3\" style=\"width:expression(window.pwned=31)\">hover</i>",
    "<svg onload=\"window.pwned=4\"><script>window.pwned=41</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.pwned=5\"></style></mglyph></table></mtext></math>",
    "<a href=\"javascript:window.pwned=6\">js-link</a>",
    "<a href=\"data:text/html,<script>window.pwned=7</script>\">data-link</a>",
    "<div style=\"background:url(javascript:window.pwned=8);width:expression(window.pwned=81)\">css</div>",
    "\"><script>window.pwned=9</script>",
    "'><img src=x onerror=window.pwned=10>",
    "<iframe src=\"javascript:window.pwned=11\"></iframe><object data=\"data:text/html;base64,"
    "PHNjcmlwdD53aW5kb3cucHduZWQ9MTI8L3NjcmlwdD4=\"></object>",
]
TEXT = " ".join(P)
ESC = html.escape(TEXT, quote=False)
FORMULA = [
    "=HYPERLINK(\"http://evil.example/?pwned\",\"click\")", "+cmd|'/C calc'!A0 pwned", "-2+3+cmd|'/C calc'!A0 pwned",
    "@SUM(1+1)*cmd|'/C calc'!A0 pwned",
]


def esc(text):
    return html.escape(text, quote=False)


open("payloads.txt", "w").write("\n".join(P + FORMULA) + "\n")

# PubMed: the payloads as inline XML elements of the title (as PubMed's inline markup is), and as escaped text.
inline = ("Inline <i>kept</i> <script>window.pwned=101;document.title='PWNED'</script> "
          "<i onmouseover=\"window.pwned=102\">hover</i> <img src=\"x\" onerror=\"window.pwned=103\"/> "
          "<svg onload=\"window.pwned=104\"><script>window.pwned=105</script></svg> "
          "<math><mtext><mglyph><style>&lt;img src=x onerror=window.pwned=106&gt;</style></mglyph></mtext></math> "
          "<a href=\"javascript:window.pwned=107\">js-link</a> <sub onclick=\"window.pwned=108\">2</sub>")
titles = [FORMULA[0] + " " + ESC, FORMULA[1] + " " + inline, FORMULA[2], FORMULA[3]]
articles = []
for n, title in enumerate(titles):
    articles.append(f"""  <PubmedArticle>
    <MedlineCitation Status="MEDLINE" Owner="NLM">
      <PMID Version="1">90000090{n}</PMID>
      <Article PubModel="Print">
        <Journal>
          <ISSN IssnType="Print">0022-3468</ISSN>
          <JournalIssue CitedMedium="Internet"><Volume>60</Volume><PubDate><Year>2024</Year><Month>Mar</Month></PubDate></JournalIssue>
          <Title>{esc(FORMULA[n % 4])} {ESC}</Title>
        </Journal>
        <ArticleTitle>{title}</ArticleTitle>
        <Abstract><AbstractText>{ESC}</AbstractText></Abstract>
        <AuthorList CompleteYN="Y">
          <Author ValidYN="Y">
            <LastName>Gao</LastName><ForeName>Zhigang</ForeName><Initials>Z</Initials>
            <AffiliationInfo><Affiliation>Department of General Surgery, Children's Hospital, Zhejiang University School of Medicine, Hangzhou, China.</Affiliation></AffiliationInfo>
          </Author>
          <Author ValidYN="Y">
            <LastName>{esc(FORMULA[n % 4])}</LastName><ForeName>{ESC}</ForeName>
            <AffiliationInfo><Affiliation>{ESC}</Affiliation></AffiliationInfo>
          </Author>
        </AuthorList>
        <Language>eng</Language>
        <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
      </Article>
      <KeywordList Owner="NOTNLM"><Keyword>{ESC}</Keyword></KeywordList>
    </MedlineCitation>
  </PubmedArticle>""")
open("pubmed.xml", "w").write(
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- Injection corpus (issue 20): PMIDs 900000900-900000903 are not real. -->\n'
    "<PubmedArticleSet>\n" + "\n".join(articles) + "\n</PubmedArticleSet>\n")


def style(text):
    return f'<style face="normal" font="default" size="100%">{text}</style>'


records = []
for n in range(4):
    records.append(
        f'<record><source-app name="EndNote" version="21.3">EndNote</source-app><rec-number>{900 + n}</rec-number>'
        f'<ref-type name="Journal Article">17</ref-type><contributors><authors><author>{style("Gao, Zhigang")}</author>'
        f'<author>{style(esc(FORMULA[n]))}</author></authors></contributors><auth-address>'
        f"{style(chr(39).join(['Department of General Surgery, Children', 's Hospital, Zhejiang University School of Medicine, Hangzhou, China.']))}"
        f'</auth-address><titles><title>{style(esc(FORMULA[n]) + " EndNote " + ESC)}'
        f'<style face="italic" font="default" size="100%">{ESC}</style></title><secondary-title>{style(ESC)}'
        f'</secondary-title></titles><pages>{style("1-9")}</pages><dates><year>{style("2024")}</year></dates>'
        f'<keywords><keyword>{style(ESC)}</keyword></keywords><abstract>{style(ESC)}</abstract>'
        f'<electronic-resource-num>{style("javascript:window.pwned=201")}</electronic-resource-num>'
        f'<language>{style("English")}</language></record>')
open("endnote.xml", "w").write(
    '<?xml version="1.0" encoding="UTF-8" ?>\n<!-- Injection corpus (issue 20). -->\n<xml>\n<records>\n'
    + "\n".join(records) + "\n</records>\n</xml>\n")

open("cerif.xml", "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Injection corpus (issue 20). -->
<Publication xmlns="https://www.openaire.eu/cerif-profile/1.1/" id="inj-900">
	<Type xmlns="https://www.openaire.eu/cerif-profile/vocab/COAR_Publication_Types">http://purl.org/coar/resource_type/c_6501</Type>
	<Language>en</Language>
	<Title xml:lang="en">{esc(FORMULA[3])} CERIF {ESC}</Title>
	<PublishedIn><Publication id="inj-901"><Type xmlns="https://www.openaire.eu/cerif-profile/vocab/COAR_Publication_Types">http://purl.org/coar/resource_type/c_0640</Type><Title xml:lang="en">{ESC}</Title><ISSN>0022-3468</ISSN></Publication></PublishedIn>
	<PublicationDate>2024-06-14</PublicationDate>
	<DOI>10.5555/annals.injection.900</DOI>
	<Authors>
		<Author><DisplayName>{esc(FORMULA[0])}</DisplayName><Person id="inj-p1"><PersonName><FamilyNames>{ESC}</FamilyNames><FirstNames>{esc(FORMULA[1])}</FirstNames></PersonName></Person></Author>
	</Authors>
	<Keyword xml:lang="en">{ESC}</Keyword>
	<Abstract xml:lang="en">{ESC}</Abstract>
</Publication>
""")

open("registry.xml", "w").write(f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Injection corpus (issue 20): a person, a project, a patent and an award of General Surgery. -->
<registry xmlns="urn:annals:registry:1" version="2">
  <person id="inj-person">
    <familyName>{esc(FORMULA[0])} {ESC}</familyName>
    <givenName>{ESC}</givenName>
    <nameVariant kind="chinese">注入{ESC}</nameVariant>
    <department ref="general-surgery"/>
  </person>
  <project id="inj-project" level="provincial" status="ongoing">
    <title>{esc(FORMULA[1])} Project {ESC}</title>
    <titleZH>{esc(FORMULA[2])} 项目 {ESC}</titleZH>
    <funder>{esc(FORMULA[3])} {ESC}</funder>
    <principalInvestigator ref="inj-person"/>
    <department ref="general-surgery" role="lead"/>
    <start>2024</start>
    <amount currency="CNY">100000</amount>
  </project>
  <patent id="inj-patent" kind="invention" status="filed">
    <title>{esc(FORMULA[2])} Patent {ESC}</title>
    <inventor person="inj-person">{ESC}</inventor>
    <filed>2024</filed>
    <department ref="general-surgery"/>
  </patent>
  <award id="inj-award" level="provincial" year="2024">
    <name>{esc(FORMULA[0])} Award {ESC}</name>
    <grade>{ESC}</grade>
    <department ref="general-surgery"/>
  </award>
</registry>
""")

# Tallies of 2026 (the sample's tallies end earlier, so none overlaps), payloads in source and note.
buffer = io.StringIO()
writer = csv.writer(buffer, lineterminator="\n")
writer.writerow("术式,入路,科室,院区,术者,开始,结束,例数,来源,备注".split(","))
for n in range(4):
    writer.writerow(["胆总管囊肿切除术", "腹腔镜", "普外科", "", "", f"2026-0{n + 1}", f"2026-0{n + 1}", "1",
                     FORMULA[n] + " " + TEXT, FORMULA[(n + 1) % 4] + " " + TEXT])
open("tallies.csv", "w").write(buffer.getvalue())
