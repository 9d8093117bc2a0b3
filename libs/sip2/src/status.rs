//! The 14 patron status flags that open SIP2 answers 24 and 64, and which of them block access.

use std::fmt;

/// One position of the 14-character patron status field, in wire order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatronFlag {
    /// Position 0: the patron may not borrow.
    ChargePrivilegesDenied,
    /// Position 1: the patron may not renew.
    RenewalPrivilegesDenied,
    /// Position 2: the patron may not recall.
    RecallPrivilegesDenied,
    /// Position 3: the patron may not place holds.
    HoldPrivilegesDenied,
    /// Position 4: the card has been reported lost.
    CardReportedLost,
    /// Position 5: too many items charged.
    TooManyItemsCharged,
    /// Position 6: too many items overdue.
    TooManyItemsOverdue,
    /// Position 7: too many renewals.
    TooManyRenewals,
    /// Position 8: too many claims of items returned.
    TooManyClaimsOfItemsReturned,
    /// Position 9: too many items lost.
    TooManyItemsLost,
    /// Position 10: excessive outstanding fines.
    ExcessiveOutstandingFines,
    /// Position 11: excessive outstanding fees.
    ExcessiveOutstandingFees,
    /// Position 12: a recall is overdue.
    RecallOverdue,
    /// Position 13: too many items billed.
    TooManyItemsBilled,
}

impl PatronFlag {
    /// All flags, in wire order.
    pub const ALL: [PatronFlag; 14] = [
        Self::ChargePrivilegesDenied,
        Self::RenewalPrivilegesDenied,
        Self::RecallPrivilegesDenied,
        Self::HoldPrivilegesDenied,
        Self::CardReportedLost,
        Self::TooManyItemsCharged,
        Self::TooManyItemsOverdue,
        Self::TooManyRenewals,
        Self::TooManyClaimsOfItemsReturned,
        Self::TooManyItemsLost,
        Self::ExcessiveOutstandingFines,
        Self::ExcessiveOutstandingFees,
        Self::RecallOverdue,
        Self::TooManyItemsBilled,
    ];

    /// The flags that keep a patron out of the e-library.
    ///
    /// - *charge privileges denied*: the ILS's own verdict that the patron may not borrow at
    ///   all — it is how ILSes report a barred, expired or fined-out card;
    /// - *card reported lost*: whoever holds the card now may not be its owner.
    ///
    /// The other flags are limits on physical circulation (items charged, overdue, lost, billed;
    /// renewals, holds, recalls; fines and fees over a threshold). An ILS that means them to stop
    /// all borrowing also denies charge privileges, so they do not block digital access on their
    /// own. Callers with a stricter policy can read every flag from [`PatronStatus`].
    pub const BLOCKING: [PatronFlag; 2] = [Self::ChargePrivilegesDenied, Self::CardReportedLost];

    fn position(self) -> usize {
        self as usize
    }
}

/// The patron status flags of a 24 or 64 answer. A position is set when the ILS sent `Y` there.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct PatronStatus([bool; 14]);

impl PatronStatus {
    /// Reads the 14-character field; `Y` sets a flag, anything else (blank, `N`) leaves it unset.
    pub fn parse(field: &str) -> Option<Self> {
        let bytes: [u8; 14] = field.as_bytes().try_into().ok()?;
        Some(Self(bytes.map(|b| b.eq_ignore_ascii_case(&b'Y'))))
    }

    /// A status with exactly these flags set.
    pub fn with(flags: &[PatronFlag]) -> Self {
        let mut status = Self::default();
        for flag in flags {
            status.0[flag.position()] = true;
        }
        status
    }

    /// Whether the ILS set `flag`.
    pub fn is_set(&self, flag: PatronFlag) -> bool {
        self.0[flag.position()]
    }

    /// The flags the ILS set, in wire order.
    pub fn flags(&self) -> impl Iterator<Item = PatronFlag> + '_ {
        PatronFlag::ALL
            .into_iter()
            .filter(|flag| self.is_set(*flag))
    }

    /// Whether any of the [`PatronFlag::BLOCKING`] flags is set.
    pub fn blocks_access(&self) -> bool {
        PatronFlag::BLOCKING.iter().any(|flag| self.is_set(*flag))
    }
}

impl fmt::Debug for PatronStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.flags()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_read_by_position() {
        let status = PatronStatus::parse("Y   Y       NY").unwrap();
        let flags: Vec<_> = status.flags().collect();
        assert_eq!(
            flags,
            [
                PatronFlag::ChargePrivilegesDenied,
                PatronFlag::CardReportedLost,
                PatronFlag::TooManyItemsBilled
            ]
        );
    }

    #[test]
    fn a_status_of_the_wrong_length_is_refused() {
        assert_eq!(PatronStatus::parse("Y"), None);
        assert_eq!(PatronStatus::parse(&" ".repeat(15)), None);
    }

    #[test]
    fn denied_charge_privileges_or_a_lost_card_block_access() {
        assert!(PatronStatus::with(&[PatronFlag::ChargePrivilegesDenied]).blocks_access());
        assert!(PatronStatus::with(&[PatronFlag::CardReportedLost]).blocks_access());
    }

    #[test]
    fn circulation_limits_alone_do_not_block_access() {
        let limits: Vec<_> = PatronFlag::ALL
            .into_iter()
            .filter(|f| !PatronFlag::BLOCKING.contains(f))
            .collect();
        assert_eq!(limits.len(), 12);
        assert!(!PatronStatus::with(&limits).blocks_access());
    }
}
