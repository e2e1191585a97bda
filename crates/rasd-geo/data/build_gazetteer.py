#!/usr/bin/env python3
"""Build rasd-geo's bundled gazetteer (data/gazetteer.tsv) from the shared sources.

usage: build_gazetteer.py [SHARED_DATA_DIR] [OUT_TSV]
  SHARED_DATA_DIR defaults to ../../../../shared/data relative to this script
  OUT_TSV         defaults to gazetteer.tsv beside this script

Inputs (read-only; see each SOURCE.md there for format and licence, and ../NOTICE):
  gazetteer-sy-whosonfirst/sy_places.tsv, sy_admin_units.tsv   Syrian localities (WOF/GeoNames)
  admin-sy-opensyria/{governorates,districts,subdistricts}.json  Syrian ADM1-3, Arabic/English, OCHA p-codes
  boundaries-sy-ocha-adm1/syr_admin1_ocha_simplified.geojson    ADM1 polygons (OCHA) for point-in-polygon
  boundaries-whosonfirst/sy_adm2.geojson                        ADM2 polygons (WOF) for point-in-polygon
  gazetteer-region-whosonfirst/{iq,lb,ye,ly}_{places,admin_units}.tsv
  ner-newsfane-gold/NewsFANE_Gold_2014_170K.txt                 tagged news words (CC BY-SA 3.0), read
                                                                only to keep common words out of the
                                                                article forms added below
  extra_places.tsv (beside this script): facts authored for rasd (regions, neighbourhoods,
  camps, crossings, qualified names, aliases the sources lack)

Output columns (tab-separated, one header line, `|` separates variants):
  id kind country precision name_ar variants_ar name_en
  admin1_ar admin1_en admin1_pcode admin2_ar admin2_en admin2_pcode admin3_ar admin3_en admin3_pcode
  lat lon population rank

Standard library only. Deterministic: the same inputs give the same bytes.
"""
import csv
import json
import math
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(HERE, "../../../../shared/data"))
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "gazetteer.tsv")

csv.field_size_limit(1 << 30)

ARABIC = re.compile(r"[\u0600-\u06ff]")
DIACRITICS = re.compile(r"[\u064b-\u0652\u0670\u0640]")
# Place-type words a source sometimes puts inside a name («منطقة دوما», «ناحية جاسم»).
TYPE_PREFIXES = ("محافظة ", "منطقة ", "ناحية ", "مدينة ", "قرية ", "بلدة ", "مديرية ", "قضاء ", "بلدية ")
# First words that news often writes joined to the rest («كفرنبل», «معربليت») or apart.
JOINABLE = ("كفر", "معر", "تل", "عين", "بيت", "دير", "خربة", "ام", "أم", "ابو", "أبو", "بني", "خان", "رأس", "راس")
# GeoNames feature code -> rank (prominence before population is considered).
RANK = {"PPLC": 6, "PPLA": 5, "PPLA2": 4, "PPLA3": 3, "PPL": 1, "PPLL": 1, "PPLF": 1, "PPLW": 0, "PPLQ": 0, "PPLH": 0}
# Region countries: which localities are worth bundling (the news names their cities, not hamlets) ...
REGION_MIN_POPULATION = 5000
# ... except in these countries, where every locality with an Arabic name is bundled: Lebanon is
# small (about 2,000 named localities) and the news of its southern front names its villages
# («عيناثا», «ميس الجبل», «كفركلا»), whatever their size.
REGION_ALL_LOCALITIES = ("lb",)
# A Latin name starting with the Arabic article («Al Bārah», «Aş Şanamayn»), in ASCII lower case.
LATIN_ARTICLE = re.compile(r"^[ae](?:l|sh|th|dh|[dnrstz])[ -]+(?=[a-z])")
# An article form («البارة») is not added when NewsFANE's news text uses it (or its first word)
# this many times as an ordinary word (tagged O) and more often so than as a name: «الجيش» from
# a village «جيش» would turn every army into a place, «الشيخ أحمد» every sheikh Ahmad.
COMMON_WORD_MIN = 3
# Two records with the same folded name closer than this are one place.
DEDUP_KM = 4.0

COLUMNS = ("id kind country precision name_ar variants_ar name_en admin1_ar admin1_en admin1_pcode "
           "admin2_ar admin2_en admin2_pcode admin3_ar admin3_en admin3_pcode lat lon population rank").split()


def clean(s):
    return DIACRITICS.sub("", (s or "").strip()).replace("\u200f", "").replace("\u200e", "")


def fold(s):
    s = clean(s)
    s = re.sub("[إأآٱ]", "ا", s)
    return re.sub(r"\s+", " ", s.replace("ى", "ي").replace("ة", "ه").replace("ؤ", "و").replace("ئ", "ي"))


def km(a, b):
    (la1, lo1), (la2, lo2) = a, b
    p = math.pi / 180
    h = math.sin((la2 - la1) * p / 2) ** 2 + math.cos(la1 * p) * math.cos(la2 * p) * math.sin((lo2 - lo1) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def arabic_names(*fields):
    out = []
    for field in fields:
        for n in (field or "").split("|"):
            n = clean(n)
            if n and ARABIC.search(n) and not re.search("[A-Za-z]", n):
                for p in TYPE_PREFIXES:
                    if n.startswith(p) and len(n) > len(p) + 1:
                        n = n[len(p):]
                if n not in out:
                    out.append(n)
    return out


def latin_key(s):
    """ASCII lower-case letters and spaces of a Latin name («Al Faţīrah» -> «al fatirah»)."""
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z -]", "", s).strip()


def word_tags():
    """Folded word -> [times tagged as an ordinary word, times tagged as the start of a name] in
    the NewsFANE gold corpus (one `token<TAB>tag` per line)."""
    counts = {}
    path = os.path.join(DATA, "ner-newsfane-gold/NewsFANE_Gold_2014_170K.txt")
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 2 or not (parts[1] == "O" or parts[1].startswith("B-")):
                continue
            c = counts.setdefault(fold(parts[0]), [0, 0])
            c[0 if parts[1] == "O" else 1] += 1
    return counts


def article_forms(arabic, latin, tags):
    """«البارة» for a place GeoNames names «بارة» in Arabic but «Al Bārah» beside «Bārah» in
    Latin: the source dropped the article the news writes. Only when a Latin name with the
    article and one without it spell the same words, for Arabic names of as many words, and
    when the form is no common word."""
    keys = [latin_key(n) for n in latin if n]
    bare = set(keys)
    words = {len(k.split()) for k in (LATIN_ARTICLE.sub("", k) for k in keys if LATIN_ARTICLE.match(k))
             if k in bare}
    out = []
    for n in arabic:
        if n.startswith("ال") or len(n.split()) not in words:
            continue
        form = "ال" + n
        # The whole form and its first word («الشيخ أحمد» is mostly a man) must be no common word.
        common = False
        for w in {form, form.split()[0]}:
            o, loc = tags.get(fold(w), (0, 0))
            common |= o >= COMMON_WORD_MIN and o > loc
        if not common:
            out.append(form)
    return out


def spelling_variants(names):
    """Add joined/split spellings of compound names («كفر تخاريم» <-> «كفرتخاريم»)."""
    out = list(names)
    for n in names:
        for j in JOINABLE:
            if n.startswith(j + " ") and len(n) > len(j) + 3:
                v = n.replace(" ", "", 1)
                if v not in out:
                    out.append(v)
                # Joined over a doubled letter, the news writes it once («كفر روما» -> «كفروما»);
                # only after «كفر»/«معر»: «أم ميال» -> «أميال» would be a common word.
                if j in ("كفر", "معر") and n[len(j) + 1] == j[-1]:
                    v = j + n[len(j) + 2:]
                    if v not in out:
                        out.append(v)
            elif n.startswith(j) and " " not in n and len(n) >= len(j) + 3 and j in ("كفر", "معر"):
                v = j + " " + n[len(j):]
                if v not in out:
                    out.append(v)
    return out


# ---------------------------------------------------------------- geometry
def rings_of(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    return []


def in_ring(x, y, ring):
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


class Polys:
    def __init__(self, features, key):
        self.items = []
        for f in features:
            polys = rings_of(f["geometry"])
            xs = [p[0] for poly in polys for p in poly[0]]
            ys = [p[1] for poly in polys for p in poly[0]]
            self.items.append((key(f["properties"]), polys, (min(xs), min(ys), max(xs), max(ys))))

    def find(self, lat, lon):
        for k, polys, (x0, y0, x1, y1) in self.items:
            if not (x0 <= lon <= x1 and y0 <= lat <= y1):
                continue
            for poly in polys:
                if in_ring(lon, lat, poly[0]) and not any(in_ring(lon, lat, h) for h in poly[1:]):
                    return k
        return None


# ---------------------------------------------------------------- Syrian admin units
def load_opensyria():
    base = os.path.join(DATA, "admin-sy-opensyria")
    gov = json.load(open(os.path.join(base, "governorates.json"), encoding="utf-8"))
    dis = json.load(open(os.path.join(base, "districts.json"), encoding="utf-8"))
    sub = json.load(open(os.path.join(base, "subdistricts.json"), encoding="utf-8"))
    return gov, dis, sub


def pc(r):
    return r["externalIds"]["ochaPcode"]


def centroid(r):
    return (r["centroid"]["latitude"], r["centroid"]["longitude"])


def main():
    gov, dis, sub = load_opensyria()
    gov_by_pc = {pc(g): g for g in gov}
    dis_by_pc = {pc(d): d for d in dis}
    gov_of_id = {g["id"]: pc(g) for g in gov}
    dis_of_id = {d["id"]: pc(d) for d in dis}
    adm1 = Polys(json.load(open(os.path.join(DATA, "boundaries-sy-ocha-adm1/syr_admin1_ocha_simplified.geojson"),
                                encoding="utf-8"))["features"], lambda p: p["PCODE"])
    adm2_wof = Polys(json.load(open(os.path.join(DATA, "boundaries-whosonfirst/sy_adm2.geojson"),
                                    encoding="utf-8"))["features"], lambda p: p["wof_id"])
    # WOF county -> OpenSyria district: the district whose centroid lies in the county polygon.
    county_to_district = {}
    for d in dis:
        lat, lon = centroid(d)
        c = adm2_wof.find(lat, lon)
        if c is not None and c not in county_to_district:
            county_to_district[c] = pc(d)
    subs_by_district = {}
    for s in sub:
        subs_by_district.setdefault(dis_of_id[s["districtId"]], []).append(s)

    def sy_admin(lat, lon):
        g = adm1.find(lat, lon)
        if g is None:  # outside every polygon (border rounding): nearest governorate centroid
            g = min(gov, key=lambda x: km((lat, lon), centroid(x)))
            g = pc(g)
        c = adm2_wof.find(lat, lon)
        d = county_to_district.get(c)
        if d is None or not d.startswith(g):
            cands = [x for x in dis if pc(x).startswith(g)]
            d = pc(min(cands, key=lambda x: km((lat, lon), centroid(x))))
        subs = subs_by_district.get(d) or []
        s = pc(min(subs, key=lambda x: km((lat, lon), centroid(x)))) if subs else None
        return g, d, s

    sub_by_pc = {pc(s): s for s in sub}

    def names_for(g, d, s):
        gg, dd, ss = gov_by_pc[g], dis_by_pc[d], sub_by_pc.get(s) if s else None
        return [gg["name"]["ar"], gg["name"]["en"], g, dd["name"]["ar"], dd["name"]["en"], d,
                ss["name"]["ar"] if ss else "", ss["name"]["en"] if ss else "", s or ""]

    places = []  # dicts with COLUMNS keys, variants as list

    def add(**kw):
        kw.setdefault("variants_ar", [])
        for k in COLUMNS:
            kw.setdefault(k, "")
        places.append(kw)

    # Country and Syrian admin units.
    for g in gov:
        add(id="sy:" + pc(g), kind="governorate", country="SY", precision="governorate", name_ar=g["name"]["ar"],
            variants_ar=arabic_names("|".join(a["value"] for a in g["aliases"] if a["language"] == "ar")),
            name_en=g["name"]["en"], lat=centroid(g)[0], lon=centroid(g)[1],
            population=(g.get("population") or {}).get("value") or "", rank=5,
            **dict(zip(COLUMNS[7:10], [g["name"]["ar"], g["name"]["en"], pc(g)])))
    for d in dis:
        gp = gov_of_id[d["governorateId"]]
        gg = gov_by_pc[gp]
        add(id="sy:" + pc(d), kind="district", country="SY", precision="district", name_ar=d["name"]["ar"],
            variants_ar=arabic_names("|".join(a["value"] for a in d["aliases"] if a["language"] == "ar")),
            name_en=d["name"]["en"], lat=centroid(d)[0], lon=centroid(d)[1],
            population=(d.get("population") or {}).get("value") or "", rank=4,
            **dict(zip(COLUMNS[7:13], [gg["name"]["ar"], gg["name"]["en"], gp, d["name"]["ar"], d["name"]["en"], pc(d)])))
    for s in sub:
        gp, dp = gov_of_id[s["governorateId"]], dis_of_id[s["districtId"]]
        add(id="sy:" + pc(s), kind="subdistrict", country="SY", precision="subdistrict", name_ar=s["name"]["ar"],
            variants_ar=arabic_names("|".join(a["value"] for a in s["aliases"] if a["language"] == "ar")),
            name_en=s["name"]["en"], lat=centroid(s)[0], lon=centroid(s)[1],
            population=(s.get("population") or {}).get("value") or "", rank=2,
            **dict(zip(COLUMNS[7:16], names_for(gp, dp, pc(s)))))

    tags = word_tags()

    def latin_names(r):
        return [r["name"]] + (r["names_other"] or "").split("|")

    # Syrian localities.
    for r in read_tsv(os.path.join(DATA, "gazetteer-sy-whosonfirst/sy_places.tsv")):
        names = arabic_names(r["name_ar"], r["names_ar_all"])
        if not names:
            continue
        names += [v for v in article_forms(names, latin_names(r), tags) if v not in names]
        lat, lon = float(r["lat"]), float(r["lon"])
        g, d, s = sy_admin(lat, lon)
        rank = RANK.get(r["gn_feature_code"], 1)
        if r["mz_is_current"] == "0":
            rank = 0
        kind = "neighbourhood" if r["placetype"] == "neighbourhood" else "locality"
        add(id="wof:" + r["wof_id"], kind=kind, country="SY", precision="community", name_ar=names[0],
            variants_ar=names[1:], name_en=r["name"], lat=lat, lon=lon,
            population=r["population"] if r["population"] not in ("", "0") else "", rank=rank,
            **dict(zip(COLUMNS[7:16], names_for(g, d, s))))

    # Region countries: admin units and the larger localities.
    for cc in ("iq", "lb", "ye", "ly"):
        units = read_tsv(os.path.join(DATA, f"gazetteer-region-whosonfirst/{cc}_admin_units.tsv"))
        regions = {}
        for u in units:
            if u["placetype"] == "region":
                ar = arabic_names(u["name_ar"])
                regions[u["wof_id"]] = (ar[0] if ar else "", u["name"])
        for u in units:
            ar = arabic_names(u["name_ar"]) or arabic_names(u["names_other"])[:1]
            if u["placetype"] not in ("region", "county") or not ar:
                continue
            reg = regions.get(u["region_wof_id"], ("", ""))
            is_region = u["placetype"] == "region"
            add(id="wof:" + u["wof_id"], kind="governorate" if is_region else "district", country=cc.upper(),
                precision="governorate" if is_region else "district", name_ar=ar[0], variants_ar=ar[1:],
                name_en=u["name"], lat=float(u["lat"]), lon=float(u["lon"]), rank=5 if is_region else 4,
                admin1_ar=reg[0], admin1_en=reg[1],
                admin2_ar="" if is_region else ar[0], admin2_en="" if is_region else u["name"])
        for r in read_tsv(os.path.join(DATA, f"gazetteer-region-whosonfirst/{cc}_places.tsv")):
            names = arabic_names(r["name_ar"], r["names_ar_all"])
            pop = int(r["population"] or 0) if r["population"].isdigit() else 0
            code = r["gn_feature_code"]
            if not names:
                continue
            if cc not in REGION_ALL_LOCALITIES and not (
                    code.startswith("PPLA") or code == "PPLC" or pop >= REGION_MIN_POPULATION):
                continue
            names += [v for v in article_forms(names, latin_names(r), tags) if v not in names]
            reg = regions.get(r["region_wof_id"], ("", r["region_name"]))
            add(id="wof:" + r["wof_id"], kind="locality", country=cc.upper(), precision="community",
                name_ar=names[0], variants_ar=names[1:], name_en=r["name"], lat=float(r["lat"]),
                lon=float(r["lon"]), population=pop or "", rank=max(RANK.get(code, 1), 2),
                admin1_ar=reg[0], admin1_en=reg[1], admin2_en=r["county_name"])

    # Facts authored for rasd.
    by_id = {p["id"]: p for p in places}
    with open(os.path.join(HERE, "extra_places.tsv"), encoding="utf-8", newline="") as f:
        facts = list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))
    for r in facts:
        if not r["op"] or r["op"].startswith("#"):
            continue
        variants = arabic_names(r["variants_ar"])
        if r["op"] == "alias":
            target = by_id.get(r["id"])
            if target is None:
                sys.exit(f"extra_places.tsv: alias target {r['id']} not found")
            target["variants_ar"] += [v for v in variants if v not in target["variants_ar"]]
            if r["rank"]:
                target["rank"] = int(r["rank"])
            if r["population"]:
                target["population"] = r["population"]
            continue
        if r["op"] != "place":
            sys.exit(f"extra_places.tsv: unknown op {r['op']!r}")
        lat, lon = float(r["lat"]), float(r["lon"])
        row = dict(id="x:" + r["id"], kind=r["kind"], country=r["country"], precision=r["precision"] or "community",
                   name_ar=clean(r["name_ar"]), variants_ar=variants, name_en=r["name_en"], lat=lat, lon=lon,
                   population=r["population"], rank=int(r["rank"] or 2))
        if r["kind"] == "country":
            pass
        elif r["country"] == "SY":
            g, d, s = sy_admin(lat, lon)
            p = r["admin_pcode"]
            if p:  # the fact names its admin area: trust it over the point
                if p[:4] not in gov_by_pc or (len(p) >= 6 and p[:6] not in dis_by_pc):
                    sys.exit(f"extra_places.tsv: {r['id']}: unknown p-code {p}")
                if not d.startswith(p):
                    g = p[:4]
                    cands = [x for x in dis if pc(x).startswith(p[:6] if len(p) >= 6 else g)]
                    d = pc(min(cands, key=lambda x: km((lat, lon), centroid(x))))
                    subs = subs_by_district.get(d) or []
                    s = pc(min(subs, key=lambda x: km((lat, lon), centroid(x)))) if subs else None
                if len(p) == 4 and r["kind"] == "region":
                    d, s = None, None
            names = names_for(g, d or "", s) if d else [gov_by_pc[g]["name"]["ar"], gov_by_pc[g]["name"]["en"], g] + [""] * 6
            row.update(dict(zip(COLUMNS[7:16], names)))
        else:
            a1 = (r["admin_pcode"] or "/").split("/")
            row.update(admin1_ar=a1[0], admin1_en=a1[1] if len(a1) > 1 else "")
        add(**row)

    # «ريف X» and its quarters for every Syrian governorate (rule 11: governorate precision).
    quarters = [("الشمالي", "north", (1, 0)), ("الجنوبي", "south", (-1, 0)), ("الشرقي", "east", (0, 1)),
                ("الغربي", "west", (0, -1)), ("الشمالي الغربي", "north-west", (1, -1)),
                ("الشمالي الشرقي", "north-east", (1, 1)), ("الجنوبي الغربي", "south-west", (-1, -1)),
                ("الجنوبي الشرقي", "south-east", (-1, 1)), ("الأوسط", "central", (0, 0))]
    for g in gov:
        if pc(g) == "SY03":  # «ريف دمشق» is itself a governorate; its quarters are generated from it
            base_ar, base_en, target = "ريف دمشق", "Rif Dimashq", g
        elif pc(g) == "SY01":
            continue
        else:
            base_ar, base_en, target = "ريف " + g["name"]["ar"], g["name"]["en"] + " countryside", g
        locs = [p for p in places if p["kind"] == "locality" and p["admin1_pcode"] == pc(target)]
        clat, clon = centroid(target)
        rows = [("", "", (0, 0))] + quarters if pc(g) != "SY03" else quarters
        for suffix, en, (dy, dx) in rows:
            sel = [p for p in locs if (dy == 0 or (p["lat"] - clat) * dy > 0) and (dx == 0 or (p["lon"] - clon) * dx > 0)]
            if dy == 0 and dx == 0 and suffix:
                sel = [p for p in locs if km((p["lat"], p["lon"]), (clat, clon)) < 25]
            lat = sum(p["lat"] for p in sel) / len(sel) if sel else clat
            lon = sum(p["lon"] for p in sel) / len(sel) if sel else clon
            name = (base_ar + " " + suffix).strip()
            add(id="x:rif-" + pc(g) + ("-" + en if en else ""), kind="region", country="SY", precision="governorate",
                name_ar=name, name_en=(base_en + (" (" + en + ")" if en else "")), lat=round(lat, 5), lon=round(lon, 5),
                rank=3, admin1_ar=target["name"]["ar"], admin1_en=target["name"]["en"], admin1_pcode=pc(target))

    # Merge duplicate records of one place (same folded name, a few km apart); the better-ranked wins.
    places.sort(key=lambda p: (-(p["rank"] or 0), -int(p["population"] or 0), p["id"]))
    kept, by_name = [], {}
    for p in places:
        key = (p["country"], p["kind"] in ("locality", "neighbourhood"), fold(p["name_ar"]))
        dup = None
        if key[1]:
            for q in by_name.get(key, []):
                if km((p["lat"], p["lon"]), (q["lat"], q["lon"])) < DEDUP_KM:
                    dup = q
                    break
        if dup is not None:
            dup["variants_ar"] += [v for v in [p["name_ar"]] + p["variants_ar"] if v != dup["name_ar"] and v not in dup["variants_ar"]]
            if not dup["population"] and p["population"]:
                dup["population"] = p["population"]
            continue
        kept.append(p)
        by_name.setdefault(key, []).append(p)
    kept.sort(key=lambda p: p["id"])

    # A variant that is the main name of another settlement of the same governorate
    # («الحولة» among the names of «كفر لاها») belongs to that settlement: left on both, a
    # sentence naming the two would read one place twice.
    settled = ("locality", "neighbourhood")
    main_names = {}
    for p in kept:
        if p["kind"] in settled:
            main_names.setdefault((p["country"], p["admin1_ar"], fold(p["name_ar"])), []).append(p["id"])

    def borrowed(p, v):
        others = main_names.get((p["country"], p["admin1_ar"], fold(v)), [])
        return p["kind"] in settled and any(i != p["id"] for i in others)

    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for p in kept:
            p = dict(p)
            vs = [v for v in spelling_variants([p["name_ar"]] + p["variants_ar"])
                  if v != p["name_ar"] and not borrowed(p, v)]
            p["variants_ar"] = "|".join(dict.fromkeys(vs))
            p["lat"], p["lon"] = f"{float(p['lat']):.5f}", f"{float(p['lon']):.5f}"
            f.write("\t".join(str(p[c]).replace("\t", " ").replace("\n", " ") for c in COLUMNS) + "\n")
    print(f"wrote {len(kept)} places to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
