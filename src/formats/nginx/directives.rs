//! What nginx does with a directive between levels (http, server, location, `if` in
//! location): how it is inherited, and its built-in default. Checked against nginx 1.22's
//! merge functions (`ngx_http_*_merge_loc_conf`) and its documentation.

/// How an inner level gets a directive from the outer ones.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Inheritance {
    /// Taken from the nearest level that sets it (`ngx_conf_merge_*_value`).
    Simple,
    /// A list: an inner level inherits ALL the outer level's entries, but only if it sets
    /// none itself; one entry at the inner level drops every outer one. Directives in the
    /// same group share one list (`allow` and `deny` are one access list).
    Array(&'static [&'static str]),
    /// Applies only where written (handlers and rewrite-module directives).
    NotInherited,
}

const ARRAY_GROUPS: &[&[&str]] = &[
    &["proxy_set_header"],
    &["proxy_hide_header"],
    &["proxy_pass_header"],
    &["add_header"],
    &["add_trailer"],
    &["fastcgi_param"],
    &["fastcgi_hide_header"],
    &["fastcgi_pass_header"],
    &["uwsgi_param"],
    &["uwsgi_hide_header"],
    &["uwsgi_pass_header"],
    &["scgi_param"],
    &["scgi_hide_header"],
    &["scgi_pass_header"],
    &["grpc_set_header"],
    &["grpc_hide_header"],
    &["grpc_pass_header"],
    &["error_page"],
    &["access_log"],
    &["allow", "deny"],
    &["proxy_redirect"],
    &["proxy_cookie_domain"],
    &["proxy_cookie_path"],
    &["proxy_cache_valid"],
    &["fastcgi_cache_valid"],
    &["sub_filter"],
    &["set_real_ip_from"],
    &["limit_req"],
    &["limit_conn"],
    &["index"],
    &["ssl_certificate"],
    &["ssl_certificate_key"],
    &["ssl_conf_command"],
    &["proxy_ssl_conf_command"],
];

const NOT_INHERITED: &[&str] = &[
    "proxy_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
    "memcached_pass",
    "return",
    "rewrite",
    "set",
    "break",
    "if",
    "try_files",
    "internal",
    "alias",
    "location",
    "limit_except",
    "include",
    "stub_status",
    "empty_gif",
];

/// How `name` is inherited. Unknown directives are assumed [`Inheritance::Simple`]; content
/// handlers of third-party modules (`*_by_lua*`, `echo`) are not inherited.
pub fn inheritance(name: &str) -> Inheritance {
    if let Some(group) = ARRAY_GROUPS.iter().find(|g| g.contains(&name)) {
        return Inheritance::Array(group);
    }
    if NOT_INHERITED.contains(&name) || name.starts_with("content_by_lua") || name == "echo" {
        return Inheritance::NotInherited;
    }
    Inheritance::Simple
}

/// nginx's built-in value of a directive when no level sets it, as its arguments. Only
/// defaults that do not depend on the platform or version are listed.
pub fn default_args(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "proxy_read_timeout" | "proxy_send_timeout" | "proxy_connect_timeout" => &["60s"],
        "client_max_body_size" => &["1m"],
        "client_body_timeout" | "client_header_timeout" | "send_timeout" => &["60s"],
        "keepalive_timeout" => &["75s"],
        "proxy_http_version" => &["1.0"],
        "proxy_buffering" | "proxy_request_buffering" => &["on"],
        "proxy_redirect" => &["default"],
        "proxy_next_upstream" => &["error", "timeout"],
        "proxy_next_upstream_tries" | "proxy_next_upstream_timeout" => &["0"],
        "proxy_max_temp_file_size" => &["1024m"],
        "proxy_ignore_client_abort" | "proxy_intercept_errors" => &["off"],
        "proxy_cookie_flags" => &["off"],
        "large_client_header_buffers" => &["4", "8k"],
        "gzip" | "sendfile" | "tcp_nopush" | "charset" | "underscores_in_headers" => &["off"],
        "tcp_nodelay" | "server_tokens" | "absolute_redirect" => &["on"],
        "resolver_timeout" => &["30s"],
        "worker_connections" => &["512"],
        "worker_processes" => &["1"],
        "access_log" => &["logs/access.log", "combined"],
        _ => return None,
    })
}

/// The headers the proxy module sends to the upstream unless `proxy_set_header` sets the
/// same name (`ngx_http_proxy_headers` in nginx 1.22; an empty value means "not sent").
pub const DEFAULT_PROXY_HEADERS: &[(&str, &str)] = &[
    ("Host", "$proxy_host"),
    ("Connection", "close"),
    ("Content-Length", "$proxy_internal_body_length"),
    ("Transfer-Encoding", "$proxy_internal_chunked"),
    ("TE", ""),
    ("Keep-Alive", ""),
    ("Expect", ""),
    ("Upgrade", ""),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(inheritance("proxy_read_timeout"), Inheritance::Simple);
        assert_eq!(inheritance("proxy_set_header"), Inheritance::Array(&["proxy_set_header"]));
        assert_eq!(inheritance("deny"), Inheritance::Array(&["allow", "deny"]));
        assert_eq!(inheritance("proxy_pass"), Inheritance::NotInherited);
        assert_eq!(inheritance("content_by_lua_block"), Inheritance::NotInherited);
        assert_eq!(default_args("proxy_read_timeout"), Some(&["60s"][..]));
        assert_eq!(default_args("client_max_body_size"), Some(&["1m"][..]));
        assert_eq!(default_args("proxy_http_version"), Some(&["1.0"][..]));
        assert_eq!(default_args("proxy_buffering"), Some(&["on"][..]));
        assert_eq!(default_args("proxy_pass"), None);
    }
}
