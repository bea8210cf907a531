//! OL0xx: can the files be read at all, the way their programs read them?

pub mod duplicate_option;
pub mod host_unknown;
pub mod indented_key_continues_value;
pub mod odoo_version_unknown;
pub mod options_section_missing;
pub mod parse_error;
