//! A small claims test set: invented multi-article German stories with the claim each
//! statement belongs to and the stance its holder takes. Accusations meet their denials,
//! confirmations meet denials in other words, and unrelated statements about the same
//! countries stay apart. Scored pairwise (statement pairs put in one claim) like a clustering.
//! `cargo test -p lagebild-speech --test claim_set -- --nocapture` prints the figures.

use lagebild_core::evidence::assert_evidence;
use lagebild_core::{
    AnalyzedDocument, Annotations, Corpus, CorpusStage, Document, DocumentStage, StanceKind,
};
use lagebild_speech::{ClaimLedger, EventExtractor, QuoteExtractor};

/// Articles in arrival order.
const ARTICLES: &[(&str, &str)] = &[
    (
        "1a",
        "Die Außenminister Polens und Litauens werfen Belarus vor, Aserbaidschan mit Drohnen und \
         Munition zu beliefern. Ein Sprecher der Regierung in Minsk wies diese Anschuldigungen am \
         Montag als „frei erfunden“ zurück. Unterdessen stiegen die Getreidepreise in der Region weiter.",
    ),
    (
        "1b",
        "„Belarus liefert seit Monaten Kampfdrohnen an Aserbaidschan“, sagte der litauische \
         Verteidigungsminister Jonas Petraitis am Dienstag in Vilnius. Die belarussische Regierung \
         bestreitet jede Lieferung von Rüstungsgütern nach Baku.",
    ),
    (
        "1c",
        "Nach Angaben armenischer Behörden wurden in den Bergen Raketen aus belarussischer Produktion \
         entdeckt, die von aserbaidschanischen Einheiten eingesetzt worden seien. Der armenische \
         Ministerpräsident erklärte zudem, die Zusammenarbeit mit der Europäischen Union solle \
         ausgebaut werden.",
    ),
    (
        "2a",
        "Der Generalsekretär der Vereinten Nationen, Pedro Alvarez, hat am Mittwoch bestätigt, dass \
         Venezuela Soldaten nach Guyana entsandt habe. Zuvor hatte die Regierung in Georgetown \
         berichtet, venezolanische Einheiten seien im Grenzgebiet gesichtet worden.",
    ),
    (
        "2b",
        "Caracas hat Berichte über die Anwesenheit venezolanischer Militärangehöriger in Guyana \
         dementiert. Präsident Luis Moreno dementierte die Informationen allerdings nicht und \
         schwieg zu den Details. Brasilien kündigte an, die Grenze zu Venezuela stärker zu überwachen.",
    ),
    (
        "2c",
        "Das venezolanische Außenministerium erklärte, es gebe keine venezolanischen Truppen in \
         Guyana. Der guyanische Präsident sagte, sein Land wolle die Handelsbeziehungen mit Venezuela \
         beenden.",
    ),
    (
        "3a",
        "Am Freitag erklärte das chilenische Außenministerium, Santiago wolle die Zusammenarbeit mit \
         Peru weiter ausbauen. Die Opposition in Lima forderte dagegen, die Zusammenarbeit mit Chile \
         zu beenden.",
    ),
    (
        "3b",
        "Das Ministerium in Santiago bekräftigte, dass Chile „die Absicht habe, die Kooperation mit \
         Peru auszubauen“. Ein Ministeriumssprecher sagte außerdem, chilenische Soldaten würden an \
         einer Übung in Argentinien teilnehmen.",
    ),
    (
        "3c",
        "Die Vereinigten Staaten verhängten am Donnerstag neue Sanktionen gegen Peru. Ein Sprecher des \
         Außenministeriums in Washington sagte, Peru liefere weiterhin Treibstoff an Syrien.",
    ),
    (
        "4a",
        "Die Zeitung „Kurier“ berichtete, die Türkei habe Kampfflugzeuge an Pakistan verkauft. \
         Ankara bestätigte die Berichte am Abend.",
    ),
    (
        "4b",
        "Indien kritisierte den Verkauf türkischer Kampfjets an Pakistan scharf. Der indische \
         Außenminister sagte, die Lieferung gefährde die Stabilität der Region.",
    ),
    (
        "5a",
        "Der kenianische Präsident sagte, Kenia werde die Zölle auf Weizen senken. Ein \
         Regierungssprecher erklärte, kenianische Truppen seien aus Somalia abgezogen worden.",
    ),
    (
        "5b",
        "Somalia warf Kenia vor, weiterhin Soldaten in der Grenzregion zu stationieren. Nairobi wies \
         die Vorwürfe zurück.",
    ),
    (
        "6a",
        "Die ukrainische Armee meldete, russische Truppen hätten die Stadt Charkiw mit Raketen \
         angegriffen. Moskau bestritt, zivile Ziele in Charkiw angegriffen zu haben.",
    ),
    (
        "6b",
        "Russland warf der Ukraine vor, mit Drohnen eine Raffinerie in Belgorod angegriffen zu \
         haben. Ein Sprecher der ukrainischen Luftwaffe bestätigte den Raketenangriff auf Charkiw.",
    ),
];

/// (article, words inside the statement's evidence, gold claim, gold stance; `None`: no stance).
const GOLD: &[(&str, &str, &str, Option<StanceKind>)] = {
    use StanceKind::*;
    &[
        (
            "1a",
            "Drohnen und Munition zu beliefern",
            "arms",
            Some(Assert),
        ),
        ("1a", "wies diese Anschuldigungen", "arms", Some(Deny)),
        ("1b", "liefert seit Monaten", "arms", Some(Assert)),
        ("1b", "bestreitet jede Lieferung", "arms", Some(Deny)),
        ("1c", "Raketen aus belarussischer", "arms", Some(Assert)),
        ("1c", "Europäischen Union solle", "eu", Some(Assert)),
        ("2a", "Venezuela Soldaten", "troops", Some(Confirm)),
        ("2a", "venezolanische Einheiten", "troops", Some(Assert)),
        ("2b", "Anwesenheit venezolanischer", "troops", Some(Deny)),
        ("2b", "dementierte die Informationen", "-", None),
        ("2b", "Grenze zu Venezuela", "border", Some(Assert)),
        ("2c", "keine venezolanischen Truppen", "troops", Some(Deny)),
        ("2c", "Handelsbeziehungen", "trade", Some(Assert)),
        ("3a", "wolle die Zusammenarbeit", "coop", Some(Assert)),
        ("3a", "Zusammenarbeit mit Chile", "coop-end", Some(Assert)),
        ("3b", "die Absicht habe", "coop", Some(Confirm)),
        ("3b", "chilenische Soldaten", "exercise", Some(Assert)),
        ("3c", "Treibstoff an Syrien", "fuel", Some(Assert)),
        ("4a", "Kampfflugzeuge an Pakistan", "jets", Some(Assert)),
        ("4a", "Ankara bestätigte", "jets", Some(Confirm)),
        ("4b", "Indien kritisierte", "jets", Some(Assert)),
        ("4b", "die Lieferung gefährde", "jets", Some(Assert)),
        ("5a", "Zölle auf Weizen", "wheat", Some(Assert)),
        ("5a", "aus Somalia abgezogen", "withdrawn", Some(Assert)),
        ("5b", "weiterhin Soldaten", "stationed", Some(Assert)),
        ("5b", "Nairobi wies", "stationed", Some(Deny)),
        ("6a", "die Stadt Charkiw", "strike", Some(Assert)),
        ("6a", "zivile Ziele", "strike", Some(Deny)),
        ("6b", "Raffinerie in Belgorod", "refinery", Some(Assert)),
        ("6b", "den Raketenangriff", "strike", Some(Confirm)),
    ]
};

fn analyse(id: &str, text: &str) -> AnalyzedDocument {
    let doc = Document::from_text(id, text);
    let mut ann = Annotations::default();
    let stages: [&dyn DocumentStage; 5] = [
        &lagebild_segment::Segmenter::new(),
        &lagebild_time::TemporalTagger::new(),
        &lagebild_entities::EntityRecognizer::new(),
        &QuoteExtractor::new(),
        &EventExtractor::new(),
    ];
    for stage in stages {
        stage.annotate(&doc, &mut ann);
    }
    assert_evidence(&doc, &ann);
    AnalyzedDocument { doc, ann }
}

/// Pairwise precision and recall of the claims over the gold statements, and stance accuracy.
#[test]
fn claim_set_pairwise() {
    let mut corpus = Corpus::default();
    let mut resolver = lagebild_entities::EntityResolver::new();
    let mut ledger = ClaimLedger::new();
    // One article at a time, as a stream: the ledger must work incrementally.
    for (i, (id, text)) in ARTICLES.iter().enumerate() {
        corpus.docs.push(analyse(id, text));
        resolver.update(&mut corpus, i..i + 1);
        ledger.update(&mut corpus, i..i + 1);
    }
    let doc_of = |id: &str| ARTICLES.iter().position(|(a, _)| *a == id).unwrap();
    // System claim and stance of each gold statement.
    let found: Vec<(Option<usize>, Option<StanceKind>)> = GOLD
        .iter()
        .map(|&(article, needle, _, _)| {
            let d = doc_of(article);
            corpus
                .claims
                .iter()
                .enumerate()
                .find_map(|(c, claim)| {
                    claim
                        .stances
                        .iter()
                        .find(|s| s.at.doc == d && s.text.contains(needle))
                        .map(|s| (Some(c), Some(s.stance)))
                })
                .unwrap_or((None, None))
        })
        .collect();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for i in 0..GOLD.len() {
        for j in i + 1..GOLD.len() {
            let gold = GOLD[i].2 == GOLD[j].2 && GOLD[i].2 != "-";
            let system = found[i].0.is_some() && found[i].0 == found[j].0;
            match (gold, system) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let right = GOLD.iter().zip(&found).filter(|(g, f)| g.3 == f.1).count();
    let stance_accuracy = right as f64 / GOLD.len() as f64;
    for (g, f) in GOLD.iter().zip(&found) {
        let ok = if g.3 == f.1 { " " } else { "✗" };
        println!(
            "{ok} {} {:<32} gold {:<9} {:?} → claim {:?} {:?}",
            g.0, g.1, g.2, g.3, f.0, f.1
        );
    }
    for (c, claim) in corpus.claims.iter().enumerate() {
        let holders: Vec<String> = claim
            .stances
            .iter()
            .map(|s| {
                format!(
                    "{}={:?}@{}",
                    s.holder_text, s.stance, corpus.docs[s.at.doc].doc.meta.id
                )
            })
            .collect();
        println!("claim {c}: {} — {}", claim.statement, holders.join("; "));
    }
    println!(
        "claim set: pairwise precision {precision:.3} recall {recall:.3} (tp {tp}, fp {fp}, fn {fn_}); \
         stance accuracy {stance_accuracy:.3} over {} statements",
        GOLD.len()
    );
    assert!(precision >= 0.8, "pairwise precision {precision:.3}");
    assert!(recall >= 0.6, "pairwise recall {recall:.3}");
    assert!(
        stance_accuracy >= 0.7,
        "stance accuracy {stance_accuracy:.3}"
    );
}
