#![no_main]
//! See `odoo_lint::fuzzing::odoo_conf` for what this target asserts.
libfuzzer_sys::fuzz_target!(|data: &[u8]| odoo_lint::fuzzing::odoo_conf(data));
