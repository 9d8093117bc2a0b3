//! The report kinds the hub reads.

use serde::{Deserialize, Serialize};

/// A COUNTER 5.1 report (or standard view) the hub takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReportKind {
    /// Platform Master Report.
    #[serde(rename = "PR")]
    Pr,
    /// Platform Usage.
    #[serde(rename = "PR_P1")]
    PrP1,
    /// Database Master Report.
    #[serde(rename = "DR")]
    Dr,
    /// Database Search and Item Usage.
    #[serde(rename = "DR_D1")]
    DrD1,
    /// Title Master Report.
    #[serde(rename = "TR")]
    Tr,
    /// Book Requests (excluding OA_Gold).
    #[serde(rename = "TR_B1")]
    TrB1,
    /// Book Usage by Access Type.
    #[serde(rename = "TR_B3")]
    TrB3,
    /// Item Master Report.
    #[serde(rename = "IR")]
    Ir,
}

impl ReportKind {
    /// Every kind.
    pub const ALL: [ReportKind; 8] = [
        Self::Pr,
        Self::PrP1,
        Self::Dr,
        Self::DrD1,
        Self::Tr,
        Self::TrB1,
        Self::TrB3,
        Self::Ir,
    ];

    /// Its `Report_ID`, which is also its schema's name.
    pub fn id(self) -> &'static str {
        match self {
            Self::Pr => "PR",
            Self::PrP1 => "PR_P1",
            Self::Dr => "DR",
            Self::DrD1 => "DR_D1",
            Self::Tr => "TR",
            Self::TrB1 => "TR_B1",
            Self::TrB3 => "TR_B3",
            Self::Ir => "IR",
        }
    }

    /// The kind with this `Report_ID` (as COUNTER writes it, in upper case).
    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }
}
