//! Matching and resolution on a small invented gazetteer (tests/fixtures/fictional.tsv), so
//! that updates of the real data never break these tests.

use rasd_geo::{
    Gazetteer, GeoError, Geocoder, MentionRole, PlaceKind, ResolveContext, ResolvedMention,
};
use rasd_model::LocationPrecision;
use std::sync::OnceLock;

fn gaz() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        Gazetteer::from_tsv(include_str!("fixtures/fictional.tsv")).expect("fixture parses")
    })
}

fn resolve(text: &str) -> Vec<ResolvedMention> {
    Geocoder::new(gaz()).resolve(text, &ResolveContext::default())
}

fn resolve_with(text: &str, dateline: &str) -> Vec<ResolvedMention> {
    let ctx = ResolveContext {
        dateline: Some(dateline.to_string()),
        country_hint: None,
    };
    Geocoder::new(gaz()).resolve(text, &ctx)
}

/// The place id chosen for the mention whose surface is `surface` (first one).
fn id_of(rs: &[ResolvedMention], surface: &str) -> Option<String> {
    rs.iter()
        .find(|r| r.mention.surface == surface)
        .map(|r| gaz().get(r.place).id.clone())
}

fn find<'a>(rs: &'a [ResolvedMention], surface: &str) -> &'a ResolvedMention {
    rs.iter()
        .find(|r| r.mention.surface == surface)
        .unwrap_or_else(|| panic!("no mention {surface:?} in {rs:#?}"))
}

#[test]
fn homonym_resolved_by_qualifier_after_it() {
    let rs = resolve("قتل شاب في بلدة البلوطة شمالي جبل الغيم.");
    assert_eq!(id_of(&rs, "البلوطة").as_deref(), Some("t:ballouta2"));
    let q = find(&rs, "جبل الغيم");
    assert_eq!(q.role, MentionRole::Qualifier);
    assert_eq!(gaz().get(q.place).kind, PlaceKind::Governorate);
    assert_eq!(q.precision, LocationPrecision::Governorate);

    let rs = resolve("قصفت قوات قرية البلوطة بريف سهل الزيتون الغربي صباح اليوم.");
    assert_eq!(id_of(&rs, "البلوطة").as_deref(), Some("t:ballouta1"));
    assert_eq!(
        find(&rs, "ريف سهل الزيتون الغربي").role,
        MentionRole::Qualifier
    );
}

#[test]
fn homonym_resolved_by_prominence_when_nothing_else_says() {
    let rs = resolve("وصل وفد إلى قرنفل أمس.");
    assert_eq!(id_of(&rs, "قرنفل").as_deref(), Some("t:qaranfel1"));
}

#[test]
fn homonym_resolved_by_other_places_of_the_article() {
    // تل الورد (the town) lies next to the first البلوطة, far from the second.
    let rs = resolve("اشتباكات في بلدة تل الورد. وفي اليوم التالي سقطت قذائف على قرية البلوطة.");
    assert_eq!(id_of(&rs, "البلوطة").as_deref(), Some("t:ballouta1"));
    assert_eq!(
        id_of(&rs, "تل الورد").as_deref(),
        Some("t:ward"),
        "the type word picks the town over the subdistrict"
    );
}

#[test]
fn homonym_resolved_by_dateline() {
    let rs = resolve_with("انفجار عبوة في قرية البلوطة دون إصابات.", "جبل الغيم");
    assert_eq!(id_of(&rs, "البلوطة").as_deref(), Some("t:ballouta2"));
    let rs = resolve_with("انفجار عبوة في قرية البلوطة دون إصابات.", "سهل الزيتون");
    assert_eq!(id_of(&rs, "البلوطة").as_deref(), Some("t:ballouta1"));
}

#[test]
fn clitics_on_names() {
    let text = "وصلت التعزيزات بقرنفل ثم لقرنفل، ووقعت اشتباكات وفي البلوطة وللبلوطة طريق.";
    let ms = Geocoder::new(gaz()).find_mentions(text);
    let surfaces: Vec<&str> = ms.iter().map(|m| m.surface.as_str()).collect();
    assert_eq!(surfaces, ["قرنفل", "قرنفل", "البلوطة", "البلوطة"]);
    // Ranges cover the name, not the clitics.
    for m in &ms[..3] {
        assert_eq!(&text[m.range.clone()], m.surface);
    }
    assert_eq!(ms[0].prefix, "ب");
    assert_eq!(ms[1].prefix, "ل");
    // «للبلوطة»: ل + ال written with two lams; the article is restored in the surface.
    assert_eq!(&text[ms[3].range.clone()], "لبلوطة");
}

#[test]
fn names_inside_other_words_are_not_matched() {
    // «قرنفلات» and «مالقرنفل» hold the name but are other words.
    let ms = Geocoder::new(gaz()).find_mentions("اشترى قرنفلات من مالقرنفل");
    assert!(ms.is_empty(), "{ms:?}");
}

#[test]
fn longest_match_and_qualified_names() {
    let rs = resolve("سقطت قذائف على بلدة الكمأة الشرقية.");
    assert_eq!(
        id_of(&rs, "الكمأة الشرقية").as_deref(),
        Some("t:kamaa-east")
    );
    assert!(rs.iter().all(|r| r.mention.surface != "الكمأة"));
    let rs = resolve("سقطت قذائف على بلدة الكمأة.");
    assert_eq!(id_of(&rs, "الكمأة").as_deref(), Some("t:kamaa"));
}

#[test]
fn regions_take_governorate_precision_and_the_article_wording() {
    let text = "غارات جوية على ريف سهل الزيتون الغربي.";
    let rs = resolve(text);
    let r = find(&rs, "ريف سهل الزيتون الغربي");
    assert_eq!(r.precision, LocationPrecision::Governorate);
    let loc = r.to_location(gaz(), text);
    assert_eq!(loc.name, "ريف سهل الزيتون الغربي");
    assert_eq!(loc.admin1.as_deref(), Some("سهل الزيتون"));
    assert_eq!(loc.span.unwrap().slice(text), "ريف سهل الزيتون الغربي");

    let text = "قصف مدفعي بريف سهل الزيتون الغربي ووادي السنديان.";
    let rs = resolve(text);
    assert_eq!(find(&rs, "ريف سهل الزيتون الغربي").mention.prefix, "ب");
    let v = find(&rs, "وادي السنديان");
    assert_eq!(gaz().get(v.place).kind, PlaceKind::Region);
    assert_eq!(
        v.to_location(gaz(), text).admin1.as_deref(),
        Some("سهل الزيتون")
    );
}

#[test]
fn neighbourhoods_follow_their_city() {
    let rs = resolve("مداهمات في حي الياسمين وسط مدينة جبل الغيم.");
    assert_eq!(id_of(&rs, "الياسمين").as_deref(), Some("t:yasmin2"));
    let city = find(&rs, "جبل الغيم");
    assert_eq!(city.role, MentionRole::Qualifier);
    assert_eq!(
        gaz().get(city.place).id,
        "t:city2",
        "«مدينة» makes the qualifier the city"
    );

    let rs = resolve("مداهمات في حي الياسمين في سهل الزيتون.");
    assert_eq!(id_of(&rs, "الياسمين").as_deref(), Some("t:yasmin1"));

    let rs = resolve("توتر في سهل الزيتون البلد بعد الهجوم.");
    assert_eq!(
        id_of(&rs, "سهل الزيتون البلد").as_deref(),
        Some("t:old-town")
    );
}

#[test]
fn governorate_centre_is_not_a_village() {
    let rs = resolve("احتجاجات في محافظة سهل الزيتون.");
    let r = find(&rs, "سهل الزيتون");
    assert_eq!(gaz().get(r.place).id, "t:g1");
    assert_eq!(r.precision, LocationPrecision::Governorate);

    let rs = resolve("احتجاجات في مدينة سهل الزيتون.");
    let r = find(&rs, "سهل الزيتون");
    assert_eq!(gaz().get(r.place).id, "t:city1");
    assert_eq!(r.precision, LocationPrecision::Community);

    let rs = resolve("هجوم على بلدة قرنفل جنوبي سهل الزيتون.");
    let q = find(&rs, "سهل الزيتون");
    assert_eq!(
        (q.role, gaz().get(q.place).id.as_str()),
        (MentionRole::Qualifier, "t:g1")
    );
    assert_eq!(q.qualifies, Some(0));
}

#[test]
fn chains_of_qualifiers() {
    let rs = resolve("قتل مدني في قرية البلوطة التابعة لناحية عين الصفصاف في ريف جبل الغيم.");
    assert_eq!(id_of(&rs, "البلوطة").as_deref(), Some("t:ballouta2"));
    assert_eq!(find(&rs, "عين الصفصاف").role, MentionRole::Qualifier);
    assert_eq!(find(&rs, "ريف جبل الغيم").qualifies, Some(1));
}

#[test]
fn coordinated_names_are_not_qualifiers() {
    let rs = resolve("اشتباكات بين بلدتي قرنفل والبلوطة.");
    assert!(rs.iter().all(|r| r.role == MentionRole::Place), "{rs:#?}");
}

#[test]
fn common_words_and_short_names_need_a_type_word() {
    assert!(resolve("ارتفع سعر المال في السوق.").is_empty());
    assert_eq!(
        id_of(&resolve("دخلت دورية قرية المال."), "المال").as_deref(),
        Some("t:mal")
    );
    assert!(resolve("قال عو إنه بخير.").is_empty());
    assert_eq!(
        id_of(&resolve("دخلت دورية قرية عو."), "عو").as_deref(),
        Some("t:aw")
    );
    // A bare village of no rank is taken when the article marks it as a place elsewhere.
    let rs = resolve("البلوطة تحت القصف. وقال سكان قرية البلوطة إن القصف مستمر.");
    assert_eq!(
        rs.iter().filter(|r| r.mention.surface == "البلوطة").count(),
        2
    );
    assert!(resolve("البلوطة تحت القصف.").is_empty());
}

#[test]
fn foreign_places_need_their_country() {
    assert!(resolve("اشتباكات قرب البرتقال.").is_empty());
    let rs = resolve("قالت السلطات العراقية إن اشتباكات وقعت في البرتقال.");
    let loc = find(&rs, "البرتقال").to_location(gaz(), "");
    assert_eq!(loc.country, "IQ");
}

#[test]
fn type_and_near_words_are_reported() {
    let rs = resolve("دارت اشتباكات في محيط بلدة قرنفل.");
    let r = find(&rs, "قرنفل");
    assert_eq!(r.mention.type_word.as_deref(), Some("بلده"));
    assert_eq!(r.mention.near_word.as_deref(), Some("محيط"));
    // «المدينة» refers back: it is not a type word.
    let ms = Geocoder::new(gaz()).find_mentions("وصلت إلى المدينة قرنفل");
    assert_eq!(ms[0].type_word, None);
}

#[test]
fn spans_map_back_through_diacritics_and_tatweel() {
    let text = "قُصِفَتْ بَلْدَةُ قَرَنْفُل وقـرنـفـل";
    let ms = Geocoder::new(gaz()).find_mentions(text);
    assert_eq!(ms.len(), 2);
    assert_eq!(&text[ms[0].range.clone()], "قَرَنْفُل");
    assert_eq!(&text[ms[1].range.clone()], "قـرنـفـل");
    assert_eq!(ms[1].surface, "قرنفل");
}

#[test]
fn locations_carry_admin_areas_and_coordinates() {
    let text = "هجوم على بلدة قرنفل.";
    let rs = resolve(text);
    let loc = find(&rs, "قرنفل").to_location(gaz(), text);
    assert_eq!(loc.name, "قرنفل");
    assert_eq!(loc.admin1.as_deref(), Some("سهل الزيتون"));
    assert_eq!(loc.admin2.as_deref(), Some("نهر الفضة"));
    assert_eq!(loc.admin3.as_deref(), Some("تل الورد"));
    assert_eq!(loc.country, "SY");
    assert_eq!(loc.place_id.as_deref(), Some("t:qaranfel1"));
    assert_eq!((loc.lat, loc.lon), (Some(34.3), Some(36.7)));
    assert_eq!(loc.span.unwrap().slice(text), "قرنفل");
}

#[test]
fn lookup_and_distances() {
    let g = gaz();
    let ids = g.lookup("قَرَنْفُل");
    assert_eq!(ids.len(), 2);
    assert_eq!(g.get(ids[0]).id, "t:qaranfel1", "most prominent first");
    let (a, b) = (
        g.by_id("t:ballouta1").unwrap(),
        g.by_id("t:ballouta2").unwrap(),
    );
    let d = g.distance_km(a, b);
    assert!((d - 311.0).abs() < 5.0, "{d}");
    assert_eq!(g.distance_km(a, a), 0.0);
    assert_eq!(
        g.governorate_of(a).map(|x| g.get(x).id.as_str()),
        Some("t:g1")
    );
    assert!(g.lookup("لا مكان").is_empty());
}

#[test]
fn bad_gazetteer_text_is_an_error() {
    assert_eq!(Gazetteer::from_tsv("").unwrap_err(), GeoError::Empty);
    assert_eq!(
        Gazetteer::from_tsv("id\tkind\n").unwrap_err(),
        GeoError::MissingColumn("country")
    );
    let header = include_str!("fixtures/fictional.tsv")
        .lines()
        .nth(1)
        .unwrap();
    assert_eq!(
        Gazetteer::from_tsv(&format!("{header}\n")).unwrap_err(),
        GeoError::Empty
    );
    let row = include_str!("fixtures/fictional.tsv")
        .lines()
        .nth(3)
        .unwrap();
    let dup = format!("{header}\n{row}\n{row}\n");
    assert!(matches!(
        Gazetteer::from_tsv(&dup),
        Err(GeoError::DuplicateId(_))
    ));
    let bad_lat = format!("{header}\n{}\n", row.replace("34.0000", "north"));
    assert!(matches!(
        Gazetteer::from_tsv(&bad_lat),
        Err(GeoError::BadRow { line: 2, .. })
    ));
    let bad_kind = format!(
        "{header}\n{}\n",
        row.replace("governorate\tSY", "planet\tSY")
    );
    assert!(matches!(
        Gazetteer::from_tsv(&bad_kind),
        Err(GeoError::BadRow { .. })
    ));
}

/// «ث» and «ت» are one letter to the matcher: the source spells the village «برتوتا», the
/// article «برثوثا»; the mention keeps the article's spelling.
#[test]
fn tha_and_ta_are_one_letter() {
    let rs = resolve("قصفت المدفعية أطراف بلدة برثوثا في سهل الزيتون.");
    assert_eq!(id_of(&rs, "برثوثا").as_deref(), Some("t:bartuta"));
    let rs = resolve("وصلت قافلة إلى بلدة برتوتا.");
    assert_eq!(id_of(&rs, "برتوتا").as_deref(), Some("t:bartuta"));
    assert_eq!(gaz().lookup("برثوثا"), gaz().lookup("برتوتا"));
}

#[test]
fn a_town_after_its_countryside_word_qualifies() {
    // «في ريف X»: the countryside word makes even a small town a qualifier.
    let rs = resolve("انفجر لغم قرب بلدة البلوطة في ريف برتوتا الشرقي.");
    assert_eq!(find(&rs, "برتوتا").role, MentionRole::Qualifier);
    assert_eq!(find(&rs, "البلوطة").role, MentionRole::Place);
}

#[test]
fn an_explicit_area_holding_no_reading_of_a_name_leaves_it_unresolved() {
    // The only «الكمأة» lies in جبل الغيم; the text places its «الكمأة» in
    // سهل الزيتون, so it is another place the gazetteer lacks.
    let rs = resolve("سقطت قذائف على منطقة الكمأة الواقعة في ريف سهل الزيتون.");
    assert!(id_of(&rs, "الكمأة").is_none(), "{rs:#?}");
    assert_eq!(id_of(&rs, "ريف سهل الزيتون").as_deref(), Some("t:rif1"));
    // Where the area agrees, the name stands.
    let rs = resolve("سقطت قذائف على منطقة الكمأة الواقعة في ريف جبل الغيم.");
    assert_eq!(id_of(&rs, "الكمأة").as_deref(), Some("t:kamaa"));
}
