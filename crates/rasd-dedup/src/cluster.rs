//! Incremental incident clustering.
//!
//! Source events arrive one at a time ([`IncidentIndex::insert`]). Each is compared only
//! with the incidents the index returns for its days (its span widened by
//! [`DATE_TOLERANCE_DAYS`]) and its place (the same place key, the grid cells within
//! [`SAME_PLACE_KM`], and for a report at a coarser place every report of its
//! governorate), never with the whole collection, and joins the best compatible
//! incident or starts a new one. Incidents are never recomputed, so their ids are stable.
//!
//! An event joins an incident when, against at least one of its sources:
//! - the types agree: the same event type (strategic developments also the same
//!   sub-type; abductions apart from other violence against civilians), so a takeover
//!   and the clash it came out of agree; or a battle and an explosion by exactly the
//!   same two sides (ACLED's precedence: the battle absorbs the shelling that opens it);
//! - the places agree on the gazetteer's hierarchy ([`crate::place`]): the same entry or
//!   name (a town and «محيط» the town), or one holds the other (a village and the side of
//!   the countryside it lies in, a quarter and its city, a sub-district and its towns),
//!   or two points within 10 km where a report has no gazetteer entry;
//! - the spans overlap once widened by a day on each side;
//! - the sides agree: each side shares an actor (principal or associated) with the
//!   other's corresponding side, in either order, where an absent or unidentified
//!   side is compatible with any, and an umbrella name («Opposition factions») with
//!   any non-state, non-civilian side; for explosions of one sub-type at the very same
//!   place, the same victims with a disputed attacker also agree;
//! - the tolls agree: reports on adjacent days with different figures are two
//!   incidents, unless the later-dated one was dated by its own publication day,
//!   published after the other and gives the higher figure (a toll revised by an outlet
//!   that dated the incident a day late); on the same day conflicting tolls are claims
//!   of one incident;
//!
//! and no source of the incident conflicts with it: two different places neither of
//! which holds the other (two villages, two quarters), or two fully named pairs of
//! sides without an armed actor in common. A report at a coarse place or with an
//! unidentified side therefore never joins two villages' or two attackers' incidents.
//! The incident's span may not outgrow its longest source's span by more than
//! [`SPAN_SLACK_DAYS`].
//!
//! When an event fits several incidents, it joins the best one (ties: the incident
//! whose first source sorts first, not the older one) together with the others that it
//! bridges, as long as no sources of them conflict and the joint span obeys the same
//! limit: the oldest of them lives on, the others are absorbed into it (their sources
//! move, their ids then resolve to it and are listed in [`InsertOutcome::absorbed`]). Arrival order then matters
//! only for a report that fits two incidents which cannot be one, arriving before the
//! report that tells them apart; [`IncidentIndex::cluster_all`] re-clusters a
//! collection in a canonical order and gives the same incidents whatever the order.

use crate::actors::{ActorKind, ActorKinds, NameConventions, actor_hash, is_unknown_actor};
use crate::geo::{cell, cells_within};
use crate::incident::Incident;
use crate::params::{
    DATE_TOLERANCE_DAYS, HOLDS_SCORE, MAX_INDEXED_SPAN_DAYS, SAME_PLACE_KM, SPAN_SLACK_DAYS,
    UMBRELLA_ACTORS,
};
use crate::place::{Level, PlaceKey, PlaceRel};
use crate::source::SourceEvent;
use rasd_model::{Event, EventType, SubEventType};
use std::collections::HashMap;

/// An incident's id: stable for the incident's life, allocated in arrival order from 1.
pub type IncidentId = u64;

/// What [`IncidentIndex::insert`] did with a source event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertOutcome {
    pub incident_id: IncidentId,
    /// True when the event joined an existing incident, false when it started one.
    pub merged: bool,
    /// Incidents the event bridged, now part of `incident_id` (their ids resolve to it).
    pub absorbed: Vec<IncidentId>,
}

/// One side of an event: the folded keys of its principal and associated actors.
/// `open` when the principal is absent or unidentified (compatible with any side).
#[derive(Debug, Clone)]
struct Side {
    /// Hashes of the actors' comparison keys ([`crate::actors::actor_key`]).
    keys: Vec<u64>,
    /// Those of the side's armed actors (not civilians, protesters or rioters).
    armed: Vec<u64>,
    open: bool,
    /// The principal is an umbrella name ([`UMBRELLA_ACTORS`]).
    umbrella: bool,
    /// The principal is (by its name) a state force or civilians: no umbrella covers it.
    state_or_civilian: bool,
}

impl Side {
    fn new(principal: Option<&str>, assoc: &[String]) -> Side {
        let empty = crate::text::hash64(b"");
        let principal = principal.filter(|p| !is_unknown_actor(p));
        let mut keys = Vec::new();
        let mut armed = Vec::new();
        let names = principal.into_iter().chain(
            assoc
                .iter()
                .map(String::as_str)
                .filter(|a| !is_unknown_actor(a)),
        );
        for name in names {
            let k = actor_hash(name);
            if k == empty {
                continue;
            }
            keys.push(k);
            if !matches!(
                NameConventions.kind(name),
                Some(ActorKind::Civilians | ActorKind::Protesters | ActorKind::Rioters)
            ) {
                armed.push(k);
            }
        }
        let umbrella = principal.is_some_and(|p| {
            let k = actor_hash(p);
            UMBRELLA_ACTORS.iter().any(|u| actor_hash(u) == k)
        });
        let state_or_civilian = principal.is_some_and(|p| {
            matches!(
                NameConventions.kind(p),
                Some(
                    ActorKind::StateForces
                        | ActorKind::ExternalForces
                        | ActorKind::Civilians
                        | ActorKind::Protesters
                        | ActorKind::Rioters
                )
            )
        });
        Side {
            keys,
            armed,
            open: principal.is_none(),
            umbrella,
            state_or_civilian,
        }
    }

    /// Shares an armed actor with `other` (on either of its sides).
    fn shares_armed(&self, other: &Side) -> bool {
        self.armed.iter().any(|k| other.keys.contains(k))
    }

    fn shares(&self, other: &Side) -> bool {
        self.keys.iter().any(|k| other.keys.contains(k))
    }

    fn loose(&self, other: &Side) -> bool {
        self.open
            || other.open
            || self.shares(other)
            || (self.umbrella && !other.state_or_civilian)
            || (other.umbrella && !self.state_or_civilian)
    }

    fn strict(&self, other: &Side) -> bool {
        !self.open && !other.open && self.shares(other)
    }
}

/// What the clusterer keeps of each source event.
#[derive(Debug, Clone)]
struct Member {
    event_type: EventType,
    sub: SubEventType,
    start: i32,
    end: i32,
    place: PlaceKey,
    side1: Side,
    side2: Side,
    fatalities: Option<u32>,
    /// Publication time (seconds since the epoch) and its local day, when known.
    published: Option<(i64, i32)>,
}

fn day_number(d: jiff::civil::Date) -> i32 {
    // Days since 1970-01-01 (proleptic Gregorian), from the civil fields.
    let (y, m, day) = (
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// A publication time as documents give it (RFC 3339, or a bare date): the instant and
/// the day as the outlet wrote it (its own time zone).
pub(crate) fn published_at(s: &str) -> Option<(i64, i32)> {
    let s = s.trim();
    let day = day_number(s.get(..10)?.parse::<jiff::civil::Date>().ok()?);
    let secs = match s.parse::<jiff::Timestamp>() {
        Ok(t) => t.as_second(),
        Err(_) => i64::from(day) * 86_400,
    };
    Some((secs, day))
}

impl Member {
    fn of(source: &SourceEvent) -> Member {
        let mut m = Member::of_event(&source.event);
        m.published = source.published.as_deref().and_then(published_at);
        m
    }

    fn of_event(event: &Event) -> Member {
        let start = day_number(event.date_start);
        let end = day_number(event.date_end).max(start);
        Member {
            event_type: event.event_type,
            sub: event.sub_event_type,
            start,
            end,
            place: PlaceKey::of(&event.location),
            side1: Side::new(Some(&event.actor1), &event.assoc_actor1),
            side2: Side::new(event.actor2.as_deref(), &event.assoc_actor2),
            fatalities: event.fatalities,
            published: None,
        }
    }

    fn days(&self) -> i32 {
        self.end - self.start + 1
    }

    /// `Some(cross)` when the types may merge; `cross` for a battle with an explosion.
    fn types_agree(&self, other: &Member) -> Option<bool> {
        use EventType::*;
        if self.event_type == other.event_type {
            let ok = match self.event_type {
                StrategicDevelopments => self.sub == other.sub,
                ViolenceAgainstCivilians => {
                    let abd = |s| s == SubEventType::AbductionForcedDisappearance;
                    abd(self.sub) == abd(other.sub)
                }
                _ => true,
            };
            return ok.then_some(false);
        }
        match (self.event_type, other.event_type) {
            (Battles, ExplosionsRemoteViolence) | (ExplosionsRemoteViolence, Battles) => Some(true),
            _ => None,
        }
    }

    fn dates_overlap(&self, other: &Member, tolerance: i32) -> bool {
        self.start <= other.end + tolerance && other.start <= self.end + tolerance
    }

    /// How the sides of the two reports agree: (strict, loose), where strict needs every
    /// side named and shared and loose lets an open or umbrella side stand for any.
    fn sides(&self, other: &Member) -> (bool, bool) {
        let (a1, a2, b1, b2) = (&self.side1, &self.side2, &other.side1, &other.side2);
        let strict = (a1.strict(b1) && a2.strict(b2)) || (a1.strict(b2) && a2.strict(b1));
        let loose = (a1.loose(b1) && a2.loose(b2)) || (a1.loose(b2) && a2.loose(b1));
        (strict, loose)
    }

    /// For explosions of one sub-type at the very same place, the same victims with a
    /// disputed attacker are one strike.
    fn disputed_attacker(&self, other: &Member, rel: PlaceRel) -> bool {
        self.event_type == EventType::ExplosionsRemoteViolence
            && self.event_type == other.event_type
            && self.sub == other.sub
            && rel == PlaceRel::Same(0.0)
            && self.side2.strict(&other.side2)
    }

    /// Two reports on adjacent days with different tolls are two incidents, unless the
    /// later-dated one reads as the same incident told a day late with its toll revised:
    /// dated on the day it was published, published after the other, with a higher toll.
    fn tolls_agree(&self, other: &Member) -> bool {
        let (Some(a), Some(b)) = (self.fatalities, other.fatalities) else {
            return true;
        };
        if a == b || self.dates_overlap(other, 0) {
            return true;
        }
        let (early, late) = if self.start < other.start {
            (self, other)
        } else {
            (other, self)
        };
        match (
            early.published,
            late.published,
            early.fatalities,
            late.fatalities,
        ) {
            (Some((te, _)), Some((tl, day)), Some(fe), Some(fl)) => {
                late.start == day && tl > te && fl > fe
            }
            _ => false,
        }
    }

    /// True when the two reports cannot be one incident whatever else an incident holds:
    /// two different places that neither holds (two villages, two quarters), or two
    /// fully named pairs of sides that share no armed actor (other fighters, or other
    /// attackers of the same civilians). A report at a coarser place, or with an
    /// unidentified side, must not join such reports through itself; reports that share a
    /// fighter may (one outlet names one enemy, another a second, a third both).
    fn conflicts(&self, other: &Member) -> bool {
        self.assess(other) == Fit::Conflict
    }

    /// Whether `other` conflicts with this source, does not fit it, or fits it how well
    /// (the place relation and the sides are worked out once for both questions).
    fn assess(&self, other: &Member) -> Fit {
        let rel = self.place.relation(&other.place);
        if rel == PlaceRel::Apart {
            return Fit::Conflict;
        }
        let (strict, loose) = self.sides(other);
        let disputed = self.disputed_attacker(other, rel);
        let named = |s: &Side| !s.open && !s.umbrella;
        if !loose
            && !disputed
            && named(&self.side1)
            && named(&self.side2)
            && named(&other.side1)
            && named(&other.side2)
            && ![&self.side1, &self.side2]
                .iter()
                .any(|a| a.shares_armed(&other.side1) || a.shares_armed(&other.side2))
        {
            return Fit::Conflict;
        }
        let Some(cross) = self.types_agree(other) else {
            return Fit::No;
        };
        let sides_ok = if cross { strict } else { loose || disputed };
        if !sides_ok || !self.dates_overlap(other, DATE_TOLERANCE_DAYS) || !self.tolls_agree(other)
        {
            return Fit::No;
        }
        let mut score = match rel {
            PlaceRel::Same(km) => 3.0 - km / SAME_PLACE_KM,
            PlaceRel::Holds => HOLDS_SCORE,
            PlaceRel::Apart => return Fit::Conflict,
        };
        if self.dates_overlap(other, 0) {
            score += 1.0;
        }
        if strict {
            score += 1.0;
        }
        if self.sub == other.sub {
            score += 0.5;
        }
        if self.fatalities.is_some() && self.fatalities == other.fatalities {
            score += 0.5;
        }
        Fit::Score(score)
    }
}

/// What [`Member::assess`] found.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fit {
    /// The two can never be one incident.
    Conflict,
    /// They do not fit directly (another source of an incident may still link them).
    No,
    Score(f64),
}

/// A fast, deterministic hasher for the index's small integer keys (the default
/// SipHash is built to resist hostile keys, which these derived keys are not).
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        crate::text::mix64(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u64(u64::from(i as u32));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(29) ^ i).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Index keys: (kind, event type, day, spatial key).
type Key = (u8, u8, i32, u64);
const KEY_ID: u8 = 0;
const KEY_NAME: u8 = 1;
const KEY_CELL: u8 = 2;
/// Every report under its governorate, for reports at a coarser place to find.
const KEY_AREA: u8 = 3;
/// Reports at a coarser place (a region, an admin unit) under their governorate, for
/// finer reports to find.
const KEY_COARSE: u8 = 4;

fn cell_key((a, b): (i32, i32)) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

fn type_code(t: EventType) -> u8 {
    EventType::ALL.iter().position(|&x| x == t).unwrap_or(0) as u8
}

/// The days a report is filed under: its span, at most [`MAX_INDEXED_SPAN_DAYS`].
fn filed_days(m: &Member) -> (i32, i32) {
    (m.start, m.start + m.days().min(MAX_INDEXED_SPAN_DAYS) - 1)
}

/// The place keys a report is filed under (each day of [`filed_days`], under its type).
fn filed_under(place: &PlaceKey) -> Vec<(u8, u64)> {
    let mut out = Vec::with_capacity(5);
    if let Some(k) = place.id {
        out.push((KEY_ID, k));
    }
    out.push((KEY_NAME, place.name));
    if let Some((lat, lon)) = place.fine_point() {
        out.push((KEY_CELL, cell_key(cell(lat, lon))));
    }
    if let Some(a) = place.admin1() {
        out.push((KEY_AREA, a));
        if place.coarse() {
            out.push((KEY_COARSE, a));
        }
    }
    out
}

/// Where a report looks for the incidents it may join: the type codes, the place keys
/// and the days (its span widened by [`DATE_TOLERANCE_DAYS`], capped).
fn looked_up(m: &Member) -> (Vec<u8>, Vec<(u8, u64)>, i32, i32) {
    let mut types = vec![type_code(m.event_type)];
    match m.event_type {
        EventType::Battles => types.push(type_code(EventType::ExplosionsRemoteViolence)),
        EventType::ExplosionsRemoteViolence => types.push(type_code(EventType::Battles)),
        _ => {}
    }
    let place = &m.place;
    let mut places = Vec::new();
    if let Some(k) = place.id {
        places.push((KEY_ID, k));
    }
    places.push((KEY_NAME, place.name));
    if let Some((lat, lon)) = place.fine_point() {
        for c in cells_within(lat, lon, SAME_PLACE_KM) {
            places.push((KEY_CELL, cell_key(c)));
        }
    }
    // A coarser report looks at every report of its governorate; a finer one only
    // at the coarser reports there (the finer ones it meets by place and grid).
    if let Some(a) = place.admin1() {
        places.push((if place.coarse() { KEY_AREA } else { KEY_COARSE }, a));
    }
    let first = m.start - DATE_TOLERANCE_DAYS;
    let last =
        (m.end + DATE_TOLERANCE_DAYS).min(first + MAX_INDEXED_SPAN_DAYS + 2 * DATE_TOLERANCE_DAYS);
    (types, places, first, last)
}

/// One index key as a store keeps it: kind, type and place key hashed into one number
/// (the day is kept beside it, so that a store can look up a range of days).
fn stored_key(kind: u8, tc: u8, place: u64) -> i64 {
    let h = crate::text::combine(
        crate::text::combine(crate::text::mix64(u64::from(kind) + 1), u64::from(tc)),
        place,
    );
    h as i64
}

/// Where a report is filed in an [`IncidentIndex`], as a store can keep it:
/// `(key, day)` pairs. A store that keeps them for every clustered event can tell,
/// from the [`lookup_keys`] of new reports, which stored incidents those
/// reports may meet, without reading the others: an index restored from those
/// incidents alone clusters the new reports exactly as one restored from every
/// incident would (the index finds candidates only through these keys).
pub fn filed_keys(event: &Event) -> Vec<(i64, i32)> {
    let m = Member::of_event(event);
    let tc = type_code(m.event_type);
    let (first, last) = filed_days(&m);
    let places = filed_under(&m.place);
    let mut out = Vec::with_capacity(places.len() * (last - first + 1).max(0) as usize);
    for day in first..=last {
        for &(kind, k) in &places {
            out.push((stored_key(kind, tc, k), day));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The keys [`IncidentIndex::insert`] looks an event up under, as
/// `(key, first day, last day)`: a stored event filed (see [`filed_keys`]) under one
/// of the keys on a day of its range is a possible match.
pub fn lookup_keys(event: &Event) -> Vec<(i64, i32, i32)> {
    let m = Member::of_event(event);
    let (types, places, first, last) = looked_up(&m);
    let mut out = Vec::with_capacity(types.len() * places.len());
    for tc in types {
        for &(kind, k) in &places {
            out.push((stored_key(kind, tc, k), first, last));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[derive(Debug)]
struct Slot {
    incident: Incident,
    members: Vec<Member>,
    start: i32,
    end: i32,
    longest: i32,
    /// The smallest `(doc_id, index)` among the sources: ties between incidents are
    /// broken on it, not on arrival order, so that the order reports come in matters less.
    first_key: (String, usize),
    /// Set when this incident was absorbed into another slot.
    merged_into: Option<u32>,
}

/// The incidents so far, indexed by day, type and place.
#[derive(Debug, Default)]
pub struct IncidentIndex {
    slots: Vec<Slot>,
    by_id: FastMap<IncidentId, u32>,
    index: FastMap<Key, Vec<u32>>,
    next_id: IncidentId,
}

impl IncidentIndex {
    pub fn new() -> Self {
        Self {
            next_id: 1,
            ..Self::default()
        }
    }

    /// Number of incidents.
    pub fn len(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| s.merged_into.is_none())
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The live slot a slot number resolves to (following absorptions).
    fn resolve(&self, mut slot: u32) -> u32 {
        while let Some(next) = self.slots[slot as usize].merged_into {
            slot = next;
        }
        slot
    }

    /// Makes new incidents take ids from `id` on (never lowers it): a store that
    /// deleted absorbed incidents keeps their ids from being reused.
    pub fn set_next_id(&mut self, id: IncidentId) {
        self.next_id = self.next_id.max(id);
    }

    /// The id the next new incident will get.
    pub fn next_id(&self) -> IncidentId {
        self.next_id.max(1)
    }

    /// The incident `id` (for an absorbed incident, the one that absorbed it).
    pub fn get(&self, id: IncidentId) -> Option<&Incident> {
        self.by_id
            .get(&id)
            .map(|&i| &self.slots[self.resolve(i) as usize].incident)
    }

    /// The incidents in order of creation.
    pub fn incidents(&self) -> impl Iterator<Item = &Incident> {
        self.slots
            .iter()
            .filter(|s| s.merged_into.is_none())
            .map(|s| &s.incident)
    }

    /// Clusters a whole collection at once, in a canonical order: the incidents (and
    /// their ids) do not depend on the order the reports are given in. The most specific
    /// reports go first (the finest places, then the fewest unidentified sides), so that
    /// a report known only by its region, or blaming unidentified gunmen, meets every
    /// incident it might belong to before it chooses one; then by span, document and
    /// position. Use it to re-cluster from scratch; [`insert`](Self::insert) is for
    /// reports arriving one at a time, where such a report joins the best incident there
    /// is so far.
    pub fn cluster_all(sources: impl IntoIterator<Item = SourceEvent>) -> IncidentIndex {
        let mut sources: Vec<((Level, u8), SourceEvent)> = sources
            .into_iter()
            .map(|s| {
                let e = &s.event;
                let open = u8::from(is_unknown_actor(&e.actor1))
                    + u8::from(e.actor2.as_deref().is_none_or(is_unknown_actor));
                ((PlaceKey::of(&e.location).level, open), s)
            })
            .collect();
        sources.sort_by(|(ka, a), (kb, b)| {
            (ka, a.event.date_start, a.event.date_end, &a.doc_id, a.index).cmp(&(
                kb,
                b.event.date_start,
                b.event.date_end,
                &b.doc_id,
                b.index,
            ))
        });
        let mut idx = IncidentIndex::new();
        for (_, s) in sources {
            idx.insert(s);
        }
        idx
    }

    /// Clusters one source event: it joins the best compatible incident, or starts one.
    pub fn insert(&mut self, source: SourceEvent) -> InsertOutcome {
        let member = Member::of(&source);
        let fits = self.fitting(&member);
        let Some(&(_, target)) = fits.first() else {
            let id = self.next_id();
            self.restore(id, source);
            return InsertOutcome {
                incident_id: id,
                merged: false,
                absorbed: Vec::new(),
            };
        };
        // The incidents the report bridges: each joins when none of its sources conflicts
        // with the report or the incidents taken so far, and the joint span stays short.
        let mut group = vec![target];
        let (mut start, mut end) = (member.start, member.end);
        let mut longest = member.days();
        {
            let t = &self.slots[target as usize];
            start = start.min(t.start);
            end = end.max(t.end);
            longest = longest.max(t.longest);
        }
        for &(_, other) in &fits[1..] {
            let o = &self.slots[other as usize];
            let span = end.max(o.end) - start.min(o.start) + 1;
            if span > longest.max(o.longest) + SPAN_SLACK_DAYS {
                continue;
            }
            let clash = o.members.iter().any(|y| {
                member.conflicts(y)
                    || group.iter().any(|&g| {
                        self.slots[g as usize]
                            .members
                            .iter()
                            .any(|x| x.conflicts(y))
                    })
            });
            if !clash {
                start = start.min(o.start);
                end = end.max(o.end);
                longest = longest.max(o.longest);
                group.push(other);
            }
        }
        // The oldest incident of the group lives on, so that a store's ids stay put.
        let survivor = *group
            .iter()
            .min_by_key(|&&g| self.slots[g as usize].incident.id)
            .unwrap_or(&target);
        self.attach(survivor, member, source);
        let mut absorbed = Vec::new();
        for other in group {
            if other != survivor {
                absorbed.push(self.slots[other as usize].incident.id);
                self.absorb(survivor, other);
            }
        }
        InsertOutcome {
            incident_id: self.slots[survivor as usize].incident.id,
            merged: true,
            absorbed,
        }
    }

    /// Moves every source of slot `other` into slot `target`.
    fn absorb(&mut self, target: u32, other: u32) {
        let members = std::mem::take(&mut self.slots[other as usize].members);
        let sources = std::mem::take(&mut self.slots[other as usize].incident.sources);
        self.slots[other as usize].merged_into = Some(target);
        for (m, s) in members.into_iter().zip(sources) {
            self.attach(target, m, s);
        }
    }

    /// Puts a source event into incident `id` without matching (rebuilding the index
    /// from a store); creates the incident when it does not exist yet.
    pub fn restore(&mut self, id: IncidentId, source: SourceEvent) {
        let member = Member::of(&source);
        let slot = match self.by_id.get(&id) {
            Some(&s) => self.resolve(s),
            None => {
                let s = self.slots.len() as u32;
                self.slots.push(Slot {
                    incident: Incident {
                        id,
                        sources: Vec::new(),
                    },
                    members: Vec::new(),
                    start: member.start,
                    end: member.end,
                    longest: member.days(),
                    first_key: (source.doc_id.clone(), source.index),
                    merged_into: None,
                });
                self.by_id.insert(id, s);
                self.next_id = self.next_id.max(id.saturating_add(1));
                s
            }
        };
        self.attach(slot, member, source);
    }

    /// The incident `event` would join, if any (no change to the index).
    pub fn find(&self, event: &Event) -> Option<IncidentId> {
        self.fitting(&Member::of_event(event))
            .first()
            .map(|&(_, s)| self.slots[s as usize].incident.id)
    }

    fn attach(&mut self, slot: u32, member: Member, source: SourceEvent) {
        let tc = type_code(member.event_type);
        let (first, last) = filed_days(&member);
        let filed = filed_under(&member.place);
        for day in first..=last {
            for &(kind, k) in &filed {
                let bucket = self.index.entry((kind, tc, day, k)).or_default();
                if bucket.last() != Some(&slot) {
                    bucket.push(slot);
                }
            }
        }
        let s = &mut self.slots[slot as usize];
        s.start = s.start.min(member.start);
        s.end = s.end.max(member.end);
        s.longest = s.longest.max(member.days());
        let key = (source.doc_id.as_str(), source.index);
        if key < (s.first_key.0.as_str(), s.first_key.1) {
            s.first_key = (source.doc_id.clone(), source.index);
        }
        s.members.push(member);
        s.incident.sources.push(source);
    }

    fn candidates(&self, m: &Member) -> Vec<u32> {
        let (types, places, first, last) = looked_up(m);
        let mut out = Vec::new();
        for tc in types {
            for day in first..=last {
                for &(kind, k) in &places {
                    if let Some(b) = self.index.get(&(kind, tc, day, k)) {
                        out.extend_from_slice(b);
                    }
                }
            }
        }
        let mut out: Vec<u32> = out.into_iter().map(|s| self.resolve(s)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The incidents `m` may join, best first (ties: the incident whose first source
    /// sorts first). An incident holding a report that conflicts with `m` is never one.
    fn fitting(&self, m: &Member) -> Vec<(f64, u32)> {
        let mut fits: Vec<(f64, u32)> = Vec::new();
        for slot in self.candidates(m) {
            let s = &self.slots[slot as usize];
            let span = s.end.max(m.end) - s.start.min(m.start) + 1;
            if span > s.longest.max(m.days()) + SPAN_SLACK_DAYS {
                continue;
            }
            let mut best: Option<f64> = None;
            let mut clash = false;
            for x in &s.members {
                match x.assess(m) {
                    Fit::Conflict => {
                        clash = true;
                        break;
                    }
                    Fit::Score(v) => best = Some(best.map_or(v, |b| b.max(v))),
                    Fit::No => {}
                }
            }
            if let (Some(score), false) = (best, clash) {
                fits.push((score, slot));
            }
        }
        fits.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| {
                self.slots[a.1 as usize]
                    .first_key
                    .cmp(&self.slots[b.1 as usize].first_key)
            })
        });
        fits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_model::{DatePrecision, Location, LocationPrecision};

    fn ev(
        t: SubEventType,
        day: i8,
        place: &str,
        lat: f64,
        lon: f64,
        a1: &str,
        a2: Option<&str>,
    ) -> SourceEvent {
        SourceEvent {
            doc_id: format!("d{day}{place}{a1}"),
            index: 0,
            url: None,
            source: None,
            published: None,
            event: Event {
                event_type: t.event_type(),
                sub_event_type: t,
                date_start: jiff::civil::date(2020, 5, day),
                date_end: jiff::civil::date(2020, 5, day),
                date_precision: DatePrecision::Day,
                location: Location {
                    name: place.into(),
                    admin1: Some("محافظة الاختبار".into()),
                    country: "XX".into(),
                    precision: LocationPrecision::Community,
                    admin2: None,
                    admin3: None,
                    lat: Some(lat),
                    lon: Some(lon),
                    place_id: None,
                    span: None,
                },
                actor1: a1.into(),
                assoc_actor1: vec![],
                actor2: a2.map(Into::into),
                assoc_actor2: vec![],
                fatalities: None,
                fatalities_vague: None,
                fatalities_by_side: Default::default(),
                injured: None,
                injured_vague: None,
                arrested: None,
                arrested_vague: None,
                evidence: vec![],
                evidence_spans: vec![],
                confidence: None,
            },
        }
    }

    use SubEventType::*;

    #[test]
    fn shifted_day_and_nearby_point_merge() {
        let mut idx = IncidentIndex::new();
        let a = idx.insert(ev(
            ArmedClash,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Alpha",
            Some("Beta"),
        ));
        let b = idx.insert(ev(
            ArmedClash,
            11,
            "قرية أ",
            30.0,
            40.0,
            "Beta",
            Some("Alpha"),
        ));
        // 5 km away under another name: still the same place.
        let c = idx.insert(ev(ArmedClash, 10, "حي ب", 30.045, 40.0, "Alpha", None));
        assert!(!a.merged && b.merged && c.merged);
        assert!(c.absorbed.is_empty());
        assert_eq!(a.incident_id, b.incident_id);
        assert_eq!(a.incident_id, c.incident_id);
        assert_eq!(idx.get(a.incident_id).unwrap().sources.len(), 3);
    }

    #[test]
    fn near_misses_stay_apart() {
        let mut idx = IncidentIndex::new();
        let a = idx.insert(ev(
            ArmedClash,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Alpha",
            Some("Beta"),
        ));
        // 12 km away the same day.
        let far = idx.insert(ev(
            ArmedClash,
            10,
            "قرية ج",
            30.108,
            40.0,
            "Alpha",
            Some("Beta"),
        ));
        // Same place, three days later.
        let later = idx.insert(ev(
            ArmedClash,
            13,
            "قرية أ",
            30.0,
            40.0,
            "Alpha",
            Some("Beta"),
        ));
        // Same place and day, other sides.
        let others = idx.insert(ev(
            ArmedClash,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Gamma",
            Some("Delta"),
        ));
        // Same place and day, a protest.
        let protest = idx.insert(ev(
            PeacefulProtest,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Protesters (X)",
            None,
        ));
        let ids = [a, far, later, others, protest].map(|o| o.incident_id);
        let mut sorted = ids.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 5, "{ids:?}");
    }

    #[test]
    fn daily_reports_do_not_chain_forever() {
        let mut idx = IncidentIndex::new();
        let ids: Vec<_> = (1..=9)
            .map(|d| {
                idx.insert(ev(
                    ArmedClash,
                    d,
                    "قرية أ",
                    30.0,
                    40.0,
                    "Alpha",
                    Some("Beta"),
                ))
                .incident_id
            })
            .collect();
        let distinct = {
            let mut v = ids.clone();
            v.dedup();
            v.len()
        };
        assert!(distinct >= 3, "{ids:?}");
    }

    #[test]
    fn battle_absorbs_shelling_by_the_same_sides_only() {
        let mut idx = IncidentIndex::new();
        let a = idx.insert(ev(
            ArmedClash,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Alpha",
            Some("Beta"),
        ));
        // Shelling with no named target does not join the battle...
        let c = idx.insert(ev(
            ShellingArtilleryMissileAttack,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Beta",
            None,
        ));
        // ...shelling by one side on the other does, and prefers it to the open shelling.
        let b = idx.insert(ev(
            ShellingArtilleryMissileAttack,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Beta",
            Some("Alpha"),
        ));
        assert_ne!(a.incident_id, c.incident_id);
        assert_eq!(a.incident_id, b.incident_id);
    }

    #[test]
    fn disputed_attacker_of_one_strike() {
        let mut idx = IncidentIndex::new();
        let a = idx.insert(ev(
            AirDroneStrike,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Alpha",
            Some("Civilians (X)"),
        ));
        let b = idx.insert(ev(
            AirDroneStrike,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Beta",
            Some("Civilians (X)"),
        ));
        assert_eq!(a.incident_id, b.incident_id);
    }

    #[test]
    fn restore_keeps_ids_and_later_inserts_join() {
        let mut idx = IncidentIndex::new();
        idx.restore(
            41,
            ev(ArmedClash, 10, "قرية أ", 30.0, 40.0, "Alpha", Some("Beta")),
        );
        assert_eq!(idx.next_id(), 42);
        let b = idx.insert(ev(
            ArmedClash,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Alpha",
            Some("Beta"),
        ));
        assert_eq!(b.incident_id, 41);
        let c = idx.insert(ev(Arrests, 10, "قرية أ", 30.0, 40.0, "Alpha", None));
        assert_eq!(c.incident_id, 42);
    }

    #[test]
    fn a_bridging_report_joins_two_incidents() {
        let mut idx = IncidentIndex::new();
        let with_assoc = |a2: &str, assoc: &[&str]| {
            let mut e = ev(ArmedClash, 10, "قرية أ", 30.0, 40.0, "Alpha", Some(a2));
            e.event.assoc_actor2 = assoc.iter().map(|s| s.to_string()).collect();
            e
        };
        let a = idx.insert(with_assoc("Beta", &[]));
        let b = idx.insert(with_assoc("Gamma", &[]));
        assert_ne!(a.incident_id, b.incident_id);
        let c = idx.insert(with_assoc("Beta", &["Gamma"]));
        assert_eq!(c.incident_id, a.incident_id);
        assert_eq!(c.absorbed, vec![b.incident_id]);
        assert_eq!(idx.len(), 1);
        assert_eq!(idx.get(b.incident_id).unwrap().id, a.incident_id);
        assert_eq!(idx.get(a.incident_id).unwrap().sources.len(), 3);
        // Later reports still find the merged incident through the absorbed one's keys.
        let d = idx.insert(with_assoc("Gamma", &[]));
        assert_eq!(d.incident_id, a.incident_id);
    }

    #[test]
    fn the_oldest_incident_lives_on_when_a_report_bridges_two() {
        // A stored incident (5) and a newer one (9); the bridging report fits the newer
        // better (same day), but the store's older id is the one kept.
        let mut idx = IncidentIndex::new();
        let with_assoc = |day: i8, a2: &str, assoc: &[&str]| {
            let mut e = ev(ArmedClash, day, "قرية أ", 30.0, 40.0, "Alpha", Some(a2));
            e.event.assoc_actor2 = assoc.iter().map(|s| s.to_string()).collect();
            e
        };
        idx.restore(5, with_assoc(10, "Beta", &[]));
        let newer = idx.insert(with_assoc(11, "Gamma", &[]));
        assert_eq!(newer.incident_id, 6);
        let c = idx.insert(with_assoc(11, "Gamma", &["Beta"]));
        assert_eq!(c.incident_id, 5);
        assert_eq!(c.absorbed, vec![6]);
        assert_eq!(idx.get(6).unwrap().id, 5);
    }

    #[test]
    fn umbrella_names_cover_armed_groups_but_not_the_state() {
        let mut idx = IncidentIndex::new();
        let a = idx.insert(ev(
            ArmedClash,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Syrian Government Forces",
            Some("Alpha Front"),
        ));
        let b = idx.insert(ev(
            ArmedClash,
            11,
            "قرية أ",
            30.0,
            40.0,
            "Opposition factions (Syria)",
            Some("Syrian Government Forces"),
        ));
        assert_eq!(a.incident_id, b.incident_id);
        let c = idx.insert(ev(
            ArmedClash,
            10,
            "قرية أ",
            30.0,
            40.0,
            "Opposition factions (Syria)",
            Some("Civilians (X)"),
        ));
        assert_ne!(a.incident_id, c.incident_id);
    }

    #[test]
    fn day_numbers_match_jiff() {
        let epoch = jiff::civil::date(1970, 1, 1);
        for d in [
            jiff::civil::date(1970, 1, 1),
            jiff::civil::date(2000, 2, 29),
            jiff::civil::date(2022, 10, 25),
            jiff::civil::date(1900, 3, 1),
        ] {
            assert_eq!(day_number(d), (d - epoch).get_days(), "{d}");
        }
    }
}
