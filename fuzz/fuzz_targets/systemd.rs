#![no_main]
//! See `odoo_lint::fuzzing::systemd` for what this target asserts.
libfuzzer_sys::fuzz_target!(|data: &[u8]| odoo_lint::fuzzing::systemd(data));
