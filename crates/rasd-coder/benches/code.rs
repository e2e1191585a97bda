//! Coding throughput with the text already extracted: a fixed set of Arabic
//! articles written for this bench (fictional events in real places), coded
//! one after another on one core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rasd_coder::{ActorRegister, Coder};
use rasd_model::{Article, PublishedTime};

const SAMPLES: &[&str] = &[
    "قُتل شابان مدنيان مساء أمس الاثنين برصاص مسلحين مجهولين في بلدة طفس بريف درعا الغربي.\nوقالت مصادر محلية إن المسلحين لاذوا بالفرار إلى جهة مجهولة، ولم تتبنَّ أي جهة العملية.\nوتشهد المحافظة منذ سنوات عمليات اغتيال شبه يومية.",
    "استهدفت قوات النظام بقذائف المدفعية صباح اليوم أطراف بلدة كنصفرة في جبل الزاوية جنوبي إدلب، ما أدى إلى إصابة ثلاثة مدنيين بجروح.\nوكانت طائرات حربية روسية قد شنت أمس غارات على محيط مدينة أريحا دون ورود أنباء عن إصابات.",
    "اندلعت اشتباكات عنيفة منذ فجر اليوم بين مقاتلي العشائر وقوات سوريا الديمقراطية في بلدة ذيبان بريف دير الزور الشرقي، أسفرت عن مقتل أربعة عناصر من قسد وإصابة آخرين.\nوأفادت مصادر بأن مقاتلي العشائر سيطروا على نقطتين عسكريتين.",
    "تظاهر المئات من أهالي مدينة السويداء اليوم الجمعة في ساحة وسط المدينة، مطالبين بتحسين الأوضاع المعيشية، وانتهت التظاهرة دون حوادث.\nيذكر أن المحافظة شهدت احتجاجات مماثلة خلال الشهر الماضي.",
    "سجّل سعر صرف الدولار ارتفاعاً جديداً في أسواق دمشق وحلب اليوم، وسط تراجع القدرة الشرائية للمواطنين.\nويرى خبراء أن الأسعار ستواصل الارتفاع خلال الأشهر المقبلة.",
    "انفجرت عبوة ناسفة بسيارة عسكرية على الطريق بين مدينتي الميادين والبوكمال شرقي دير الزور ظهر اليوم، ما أدى إلى مقتل عنصرين من قوات النظام.\nولم تعلن أي جهة مسؤوليتها عن التفجير حتى الآن.",
];

fn articles() -> Vec<Article> {
    SAMPLES
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut a = Article::from_text(format!("bench-{i}"), *t);
            a.published = "2023-09-25T12:00:00+03:00".parse::<PublishedTime>().ok();
            a
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let coder = Coder::new(ActorRegister::bundled(), rasd_geo::Gazetteer::bundled());
    let articles = articles();
    let mut g = c.benchmark_group("code");
    g.throughput(Throughput::Elements(articles.len() as u64));
    g.bench_function("articles", |b| {
        b.iter(|| {
            let mut n = 0;
            for a in &articles {
                n += coder.code(a).len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
