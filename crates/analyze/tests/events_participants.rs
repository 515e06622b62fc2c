//! Event participants and dates through the whole pipeline (tagger, gazetteer, resolution,
//! coder): the person a title phrase introduces is the participant, not the country or army
//! of the title; a date expression dates its nearest trigger.

use rased_analyze::pipeline::Analyzer;
use rased_model::{Article, Event};

fn events(body: &str, published: &str) -> Vec<Event> {
    let mut article = Article {
        title: Some("خبر".into()),
        published: Some(published.into()),
        body: body.into(),
        ..Article::default()
    };
    Analyzer::new()
        .unwrap()
        .analyze(&mut article)
        .expect("the article is analyzed");
    article.events
}

fn ids(ps: &[rased_model::Participant]) -> Vec<&str> {
    ps.iter().filter_map(|p| p.entity.as_deref()).collect()
}

fn the<'a>(events: &'a [Event], trigger: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.evidence.trigger.contains(trigger))
        .unwrap_or_else(|| panic!("no event on {trigger} in {events:#?}"))
}

#[test]
fn the_person_of_a_title_phrase_is_the_participant() {
    // The army of the host's title (للجيش الليبي) neither governs him as a recipient nor
    // stands for him: the host is the actor.
    let evs = events(
        "استقبل القائد العام للجيش الليبي المشير خليفة حفتر، اليوم الاثنين، وفدا تركيا في بنغازي.",
        "2025-08-25",
    );
    let e = the(&evs, "استقبل");
    assert_eq!(ids(&e.actors), vec!["cur:khalifa-haftar"], "{e:#?}");
    // The visitor's country adjective (التركية) is part of his title, not the other side.
    let evs = events(
        "التقى القائد العام للجيش الليبي خليفة حفتر مع رئيس المخابرات التركية إبراهيم قالين في بنغازي.",
        "2025-08-25",
    );
    let e = the(&evs, "التقى");
    let mut sides = ids(&e.actors);
    sides.extend(ids(&e.recipients));
    sides.sort_unstable();
    assert_eq!(
        sides,
        vec!["cur:ibrahim-kalin", "cur:khalifa-haftar"],
        "{e:#?}"
    );
}

#[test]
fn a_trigger_keeps_its_nearest_date_and_late_years_frame_nothing() {
    // Tuesday dates the call; the year belongs to the law.
    let evs = events(
        "دعت منظمة الدفاع عن المستهلك، الثلاثاء، الحكومة إلى تأجيل الزيادة التي وردت في قانون المالية لسنة 2017.",
        "2017-01-19",
    );
    let e = the(&evs, "دعت");
    assert_eq!(e.date.as_deref(), Some("2017-01-17"), "{e:#?}");
}

#[test]
fn an_unnamed_role_is_the_person_who_held_it_that_day() {
    // The article never names the visitor: in August 2025 the head of Turkish intelligence
    // is Kalın (the KB's dated role), so the meeting is Haftar's with him.
    let body = "استقبل القائد العام للجيش الليبي المشير خليفة حفتر، اليوم الاثنين، رئيس جهاز المخابرات التركي في بنغازي.";
    let evs = events(body, "2025-08-25");
    let e = the(&evs, "استقبل");
    assert_eq!(ids(&e.actors), vec!["cur:khalifa-haftar"], "{e:#?}");
    assert_eq!(ids(&e.recipients), vec!["cur:ibrahim-kalin"], "{e:#?}");
}

fn texts(ps: &[rased_model::Participant]) -> Vec<&str> {
    ps.iter().map(|p| p.text.as_str()).collect()
}

/// The event on `trigger` of one sentence published on an ordinary day.
fn event_on(sentence: &str, trigger: &str) -> Event {
    the(&events(sentence, "2024-03-10"), trigger).clone()
}

/// The texts of every participant of every event of one sentence.
fn all_sides(sentence: &str) -> Vec<String> {
    events(sentence, "2024-03-10")
        .iter()
        .flat_map(|e| e.actors.iter().chain(&e.recipients))
        .map(|p| p.text.clone())
        .collect()
}

#[test]
fn unnamed_groups_are_participants_and_genitives_are_not() {
    // Police and protesters, gunmen and civilians are named by common nouns only.
    let e = event_on(
        "اعتقلت الشرطة عشرات المتظاهرين في العاصمة يوم الأحد.",
        "اعتقلت",
    );
    assert_eq!(texts(&e.actors), vec!["الشرطة"], "{e:#?}");
    assert_eq!(texts(&e.recipients), vec!["المتظاهرين"], "{e:#?}");
    let e = event_on("قتل مسلحون ثلاثة مدنيين في هجوم على قرية يوم الأحد.", "قتل");
    assert_eq!(texts(&e.actors), vec!["مسلحون"], "{e:#?}");
    assert_eq!(texts(&e.recipients), vec!["مدنيين"], "{e:#?}");
    // The army of a radio station's name is not who denied.
    let sides = all_sides("نفت إذاعة الجيش صحة التقارير عن هجوم على القاعدة.");
    assert!(!sides.iter().any(|p| p == "الجيش"), "{sides:?}");
    // A person named after a title keeps the role: the government of the title is not a side.
    let sides = all_sides("التقى رئيس الحكومة يوسف الشاهد وفدا من رجال الأعمال في تونس.");
    assert!(!sides.iter().any(|p| p == "الحكومة"), "{sides:?}");
}

#[test]
fn two_names_side_by_side_after_a_verb_are_subject_and_object() {
    // VSO: the name after the subject is the object, not an apposition of it; a nationality
    // adjective before a name still is (الرئيس الأمريكي دونالد ترامب).
    let e = event_on(
        "وانتقد الرئيس الأمريكي دونالد ترامب إيران بشدة يوم الأحد.",
        "انتقد",
    );
    assert_eq!(ids(&e.actors), vec!["cur:donald-trump"], "{e:#?}");
    assert_eq!(ids(&e.recipients), vec!["iso:IRN"], "{e:#?}");
}

#[test]
fn a_definite_verbal_noun_phrase_takes_its_object_as_the_recipient() {
    // الإفراج عن X: X is who was released, not who released.
    let e = event_on(
        "طالبت منظمات حقوقية بالإفراج عن المعتقلين السياسيين في البلاد.",
        "الإفراج",
    );
    assert!(texts(&e.actors).is_empty(), "{e:#?}");
    assert_eq!(texts(&e.recipients), vec!["المعتقلين السياسيين"], "{e:#?}");
}
