//! Closed sets of values with a stable code (stored and sent over the API) and a
//! Vietnamese label (shown to readers).

/// Declares an enum whose variants each carry a stable `code` and a Vietnamese `label`.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $field:literal {
            $($(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The stable code, as stored and sent over the API.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }

            /// The Vietnamese label.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)+ }
            }

            /// The value with this code.
            pub fn from_code(code: &str) -> Result<Self, $crate::DomainError> {
                match code {
                    $($code => Ok(Self::$variant),)+
                    _ => Err($crate::DomainError::UnknownCode {
                        field: $field,
                        code: code.to_owned(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use coded_enum;

#[cfg(test)]
mod tests {
    use crate::article::ArticleStatus;
    use crate::organisation::OrganisationKind;

    #[test]
    fn every_code_parses_back_to_its_value() {
        for status in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::from_code(status.code()), Ok(*status));
        }
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::from_code(kind.code()), Ok(*kind));
        }
    }

    #[test]
    fn an_unknown_code_names_the_field() {
        let err = ArticleStatus::from_code("deleted").unwrap_err();
        assert_eq!(err.field(), "status");
    }
}
