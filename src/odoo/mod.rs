//! What Odoo itself does with its configuration, per major version (14 to 19).
//!
//! These are facts read from Odoo's own source (`odoo/tools/config.py` of each branch), kept
//! apart from the parsers and the rules: a parser says what a file contains, this module says
//! what Odoo makes of it, and the rules compare the two.

pub mod options;
