//! The ACLED taxonomy as `spec/events.md` fixes it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case name used in JSON, CSV and the store.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(UnknownName { kind: stringify!($name), name: s.to_string() }) }
            }
        }
    };
}

/// A name that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {name:?}")]
pub struct UnknownName {
    pub kind: &'static str,
    pub name: String,
}

string_enum!(
    /// ACLED's six event types.
    EventType {
        Battles => "battles",
        ExplosionsRemoteViolence => "explosions_remote_violence",
        ViolenceAgainstCivilians => "violence_against_civilians",
        Protests => "protests",
        Riots => "riots",
        StrategicDevelopments => "strategic_developments",
    }
);

string_enum!(
    /// ACLED's sub-event types; each belongs to exactly one [`EventType`].
    SubEventType {
        ArmedClash => "armed_clash",
        GovernmentRegainsTerritory => "government_regains_territory",
        NonStateActorOvertakesTerritory => "non_state_actor_overtakes_territory",
        ChemicalWeapon => "chemical_weapon",
        AirDroneStrike => "air_drone_strike",
        SuicideBomb => "suicide_bomb",
        ShellingArtilleryMissileAttack => "shelling_artillery_missile_attack",
        RemoteExplosiveLandmineIed => "remote_explosive_landmine_ied",
        Grenade => "grenade",
        SexualViolence => "sexual_violence",
        Attack => "attack",
        AbductionForcedDisappearance => "abduction_forced_disappearance",
        PeacefulProtest => "peaceful_protest",
        ProtestWithIntervention => "protest_with_intervention",
        ExcessiveForceAgainstProtesters => "excessive_force_against_protesters",
        ViolentDemonstration => "violent_demonstration",
        MobViolence => "mob_violence",
        Agreement => "agreement",
        Arrests => "arrests",
        ChangeToGroupActivity => "change_to_group_activity",
        DisruptedWeaponsUse => "disrupted_weapons_use",
        HeadquartersOrBaseEstablished => "headquarters_or_base_established",
        LootingPropertyDestruction => "looting_property_destruction",
        NonViolentTransferOfTerritory => "non_violent_transfer_of_territory",
        Other => "other",
    }
);

impl SubEventType {
    /// The event type this sub-type belongs to.
    pub fn event_type(self) -> EventType {
        use SubEventType::*;
        match self {
            ArmedClash | GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => {
                EventType::Battles
            }
            ChemicalWeapon
            | AirDroneStrike
            | SuicideBomb
            | ShellingArtilleryMissileAttack
            | RemoteExplosiveLandmineIed
            | Grenade => EventType::ExplosionsRemoteViolence,
            SexualViolence | Attack | AbductionForcedDisappearance => {
                EventType::ViolenceAgainstCivilians
            }
            PeacefulProtest | ProtestWithIntervention | ExcessiveForceAgainstProtesters => {
                EventType::Protests
            }
            ViolentDemonstration | MobViolence => EventType::Riots,
            Agreement
            | Arrests
            | ChangeToGroupActivity
            | DisruptedWeaponsUse
            | HeadquartersOrBaseEstablished
            | LootingPropertyDestruction
            | NonViolentTransferOfTerritory
            | Other => EventType::StrategicDevelopments,
        }
    }

    /// Rank within explosions/remote violence by ACLED's precedence (rule 1):
    /// higher wins when several tactics occur in one engagement. `None` outside that type.
    pub fn explosion_precedence(self) -> Option<u8> {
        use SubEventType::*;
        Some(match self {
            ChemicalWeapon => 6,
            AirDroneStrike => 5,
            SuicideBomb => 4,
            ShellingArtilleryMissileAttack => 3,
            RemoteExplosiveLandmineIed => 2,
            Grenade => 1,
            _ => return None,
        })
    }
}

impl EventType {
    /// The sub-types of this type, in the spec's order.
    pub fn sub_types(self) -> impl Iterator<Item = SubEventType> {
        SubEventType::ALL
            .iter()
            .copied()
            .filter(move |s| s.event_type() == self)
    }
}

string_enum!(
    /// How exactly an event's dates are known.
    DatePrecision {
        Day => "day",
        Week => "week",
        Month => "month",
    }
);

impl DatePrecision {
    /// ACLED's `time_precision` code.
    pub fn acled_code(self) -> u8 {
        match self {
            DatePrecision::Day => 1,
            DatePrecision::Week => 2,
            DatePrecision::Month => 3,
        }
    }
}

string_enum!(
    /// The finest place the article supports.
    LocationPrecision {
        Community => "community",
        Subdistrict => "subdistrict",
        District => "district",
        Governorate => "governorate",
        Country => "country",
    }
);

impl LocationPrecision {
    /// ACLED's `geo_precision` code (a country-only location is coded as 3, as ACLED does).
    pub fn acled_code(self) -> u8 {
        match self {
            LocationPrecision::Community => 1,
            LocationPrecision::Subdistrict | LocationPrecision::District => 2,
            LocationPrecision::Governorate | LocationPrecision::Country => 3,
        }
    }
}

string_enum!(
    /// A vague amount («عدد من», «عشرات») where the article gives no figure.
    Vague {
        Few => "few",
        Several => "several",
        Dozens => "dozens",
        Hundreds => "hundreds",
    }
);

impl Vague {
    /// The number ACLED writes for a vague amount (spec "Exports").
    pub fn acled_number(self) -> u32 {
        match self {
            Vague::Few | Vague::Several => 3,
            Vague::Dozens => 12,
            Vague::Hundreds => 100,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sub_type_round_trips_through_its_name() {
        for &s in SubEventType::ALL {
            assert_eq!(s.as_str().parse::<SubEventType>().unwrap(), s);
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn sub_types_partition_the_types() {
        let total: usize = EventType::ALL.iter().map(|t| t.sub_types().count()).sum();
        assert_eq!(total, SubEventType::ALL.len());
        assert_eq!(EventType::Battles.sub_types().count(), 3);
        assert_eq!(EventType::StrategicDevelopments.sub_types().count(), 8);
    }

    #[test]
    fn precedence_orders_explosions() {
        let air = SubEventType::AirDroneStrike.explosion_precedence();
        let shell = SubEventType::ShellingArtilleryMissileAttack.explosion_precedence();
        assert!(air > shell);
        assert_eq!(SubEventType::ArmedClash.explosion_precedence(), None);
    }

    #[test]
    fn unknown_names_are_errors() {
        let err = "skirmish".parse::<SubEventType>().unwrap_err();
        assert!(err.to_string().contains("skirmish"));
    }
}
