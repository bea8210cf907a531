//! What a whole nginx configuration means: one root file with its includes expanded in
//! place, its servers, locations, upstreams and maps, and the value each directive really
//! has at each level after nginx's inheritance, with where that value was written.
//!
//! Built by [`build`] from an immutable view of the parsed files ([`NginxFiles`]) and the
//! [`IncludeGraph`] that [`super::include::load_includes`] produced. Walking is iterative,
//! and the expansion is bounded (include depth, cycles, total size), so no input can blow
//! the stack or the memory.

use std::collections::HashSet;
use std::rc::Rc;

use super::directives::{DEFAULT_PROXY_HEADERS, Inheritance, default_args, inheritance};
use super::include::{IncludeGraph, NginxFiles};
use super::syntax::DirectiveId;
use super::values::{HostPort, LocationKind, PassTarget, host_port, location_kind, pass_target};
use crate::source::{FileId, Span, TextRange};

/// Index of a node of the expanded configuration, in document order (pre-order).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct NodeId(pub u32);

/// One directive of the expanded configuration. The same directive of a file included twice
/// is two nodes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConfNode {
    pub file: FileId,
    pub directive: DirectiveId,
    /// Name and arguments as nginx reads them (unquoted, unescaped).
    pub name: String,
    pub args: Vec<String>,
    /// The directive's range in its file (name to `;` or `}`).
    pub range: TextRange,
    /// The ranges of the arguments as written (quotes included).
    pub arg_ranges: Vec<TextRange>,
    /// The enclosing block after expansion (`None` at the root's top level).
    pub parent: Option<NodeId>,
    /// The nodes of its block, includes expanded.
    pub children: Vec<NodeId>,
    /// The `include` node that brought this node's file in (`None` in the root file).
    pub via: Option<NodeId>,
    /// Whether the directive has a `{ }` block (Lua bodies are not blocks).
    pub block: bool,
}

impl ConfNode {
    pub fn span(&self) -> Span {
        Span::new(self.file, self.range)
    }

    /// The span of argument `i` as written.
    pub fn arg_span(&self, i: usize) -> Option<Span> {
        self.arg_ranges.get(i).map(|r| Span::new(self.file, *r))
    }
}

/// What the root file is, judged from its content.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RootContext {
    /// A main `nginx.conf`: it has `http`, `events` or `stream` blocks.
    Main,
    /// Read inside `http { }`: top-level `server`, `upstream`, `map`, ...
    Http,
    /// Read inside `server { }`: top-level `location`, `listen`, `server_name`.
    Server,
    /// Something else (e.g. a list of `proxy_set_header`): its level is unknown.
    Fragment,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ServerId(pub u32);
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct LocationId(pub u32);
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct UpstreamId(pub u32);

/// A `server { }` of the http context.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Server {
    /// Its node; `None` when the root file is itself a server-level snippet.
    pub node: Option<NodeId>,
    pub listens: Vec<Listen>,
    /// Every `server_name` argument, with its node.
    pub server_names: Vec<(String, NodeId)>,
    /// Its locations at the first level (nested ones hang off them).
    pub locations: Vec<LocationId>,
    /// `if` blocks directly in the server.
    pub ifs: Vec<NodeId>,
}

impl Server {
    /// The scope to ask effective values at.
    pub fn scope(&self) -> Option<NodeId> {
        self.node
    }
}

/// One `listen`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Listen {
    pub node: NodeId,
    pub addr: HostPort,
    /// The port nginx listens on (80 when only an address is given).
    pub port: Option<u16>,
    pub ssl: bool,
    pub http2: bool,
    pub default_server: bool,
    /// The parameters after the address.
    pub params: Vec<String>,
}

/// A `location`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Location {
    pub node: NodeId,
    pub server: ServerId,
    /// The enclosing location of a nested one.
    pub parent: Option<LocationId>,
    pub kind: LocationKind,
    /// The prefix, exact path, regex, or `@name`.
    pub path: String,
    pub nested: Vec<LocationId>,
    /// `if` blocks directly in it.
    pub ifs: Vec<NodeId>,
    /// `limit_except` blocks directly in it.
    pub limit_excepts: Vec<NodeId>,
}

/// An `upstream` block.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Upstream {
    pub node: NodeId,
    pub name: String,
    pub servers: Vec<UpstreamServer>,
}

/// A `server` line of an upstream block.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UpstreamServer {
    pub node: NodeId,
    /// The address as written (`odoo:8069`, `unix:/run/odoo.sock`).
    pub address: String,
    pub addr: HostPort,
    /// `weight=2`, `backup`, `max_fails=3`, ...
    pub params: Vec<String>,
}

impl UpstreamServer {
    /// The port nginx connects to (80 when none is written), `None` for a UNIX socket.
    pub fn port(&self) -> Option<u16> {
        if self.addr.unix.is_some() { None } else { Some(self.addr.port.unwrap_or(80)) }
    }
}

/// A `map $source $variable { }` block.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Map {
    pub node: NodeId,
    pub source: String,
    pub variable: String,
    /// The entries other than `default`, `hostnames` and `volatile`, in order.
    pub entries: Vec<MapEntry>,
    pub default: Option<String>,
    pub hostnames: bool,
    pub volatile: bool,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MapEntry {
    pub node: NodeId,
    pub key: String,
    pub value: String,
}

/// A `proxy_pass`, read.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProxyPass {
    pub node: NodeId,
    pub url: String,
    pub target: PassTarget,
    /// The upstream block its host names (nginx compares names case-insensitively).
    pub upstream: Option<UpstreamId>,
    /// A port was written although the host names an upstream block: nginx refuses this
    /// (`upstream "x" may not have port N`).
    pub port_on_upstream: bool,
}

/// Where an effective value comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    /// This node sets it.
    Set(NodeId),
    /// nginx's built-in default.
    Default,
    /// Not set, and no default is known.
    Unset,
}

/// The value of a simple directive at some level.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Effective {
    /// Its arguments (the default's if not set).
    pub args: Vec<String>,
    pub source: Source,
    /// The walk reached the root of a snippet without finding the directive: an outer level
    /// we did not see (the `http` or `server` that includes this file) may set it.
    pub outer_unknown: bool,
}

/// The entries of a list directive at some level.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EffectiveList {
    /// The nodes of the level that provides the list (empty when none does).
    pub nodes: Vec<NodeId>,
    /// The level that provides them (`Some(None)` for the root's top level).
    pub level: Option<Option<NodeId>>,
    pub outer_unknown: bool,
}

/// A header the proxy sends upstream.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProxyHeader {
    pub name: String,
    pub value: String,
    /// `Set(node)` for a `proxy_set_header`, `Default` for the proxy module's own.
    pub source: Source,
}

impl ProxyHeader {
    /// An empty value means nginx does not send the header.
    pub fn is_sent(&self) -> bool {
        !self.value.is_empty()
    }
}

/// Something the model builder had to cut short.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ModelProblem {
    /// An include that leads back into a file being read was not expanded again.
    CycleSkipped { include: NodeId, file: FileId },
    /// Includes nested deeper than [`MAX_INCLUDE_DEPTH`] were not expanded.
    TooDeep { include: NodeId },
    /// The expanded configuration passed [`MAX_NODES`] directives; the rest was dropped.
    TooLarge { at: NodeId },
}

/// Includes nested deeper than this are not expanded.
pub const MAX_INCLUDE_DEPTH: usize = 32;
/// At most this many directives in one expanded configuration.
pub const MAX_NODES: usize = 200_000;

/// The meaning of one nginx configuration.
#[derive(Clone, Debug)]
pub struct NginxModel {
    pub root: FileId,
    pub context: RootContext,
    nodes: Vec<ConfNode>,
    roots: Vec<NodeId>,
    /// The `http` block (of a main file).
    pub http: Option<NodeId>,
    pub servers: Vec<Server>,
    pub locations: Vec<Location>,
    pub upstreams: Vec<Upstream>,
    pub maps: Vec<Map>,
    pub problems: Vec<ModelProblem>,
}

/// Expands `root` with its includes and reads its servers, locations, upstreams and maps.
pub fn build(files: &impl NginxFiles, root: FileId, includes: &IncludeGraph) -> NginxModel {
    let (nodes, roots, problems) = expand(files, root, includes);
    let mut m = NginxModel {
        root,
        context: RootContext::Fragment,
        nodes,
        roots,
        http: None,
        servers: Vec::new(),
        locations: Vec::new(),
        upstreams: Vec::new(),
        maps: Vec::new(),
        problems,
    };
    m.context = infer_context(&m);
    let http_level: Option<Option<NodeId>> = match m.context {
        RootContext::Main => {
            m.http = m.roots.iter().copied().find(|n| m.nodes[n.0 as usize].name == "http" && m.node(*n).block);
            m.http.map(Some)
        }
        RootContext::Http => Some(None),
        _ => None,
    };
    match (m.context, http_level) {
        (RootContext::Server, _) => {
            let roots = m.roots.clone();
            m.read_server(None, &roots);
        }
        (_, Some(level)) => {
            let children = m.children(level).to_vec();
            for n in children {
                match m.node(n).name.as_str() {
                    "server" if m.node(n).block => {
                        let kids = m.node(n).children.clone();
                        m.read_server(Some(n), &kids);
                    }
                    "upstream" if m.node(n).block => m.read_upstream(n),
                    "map" if m.node(n).block => m.read_map(n),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    m
}

/// Lays out every directive of the root file and of the files it includes, includes
/// replaced in place by the included files' directives.
fn expand(files: &impl NginxFiles, root: FileId, graph: &IncludeGraph) -> (Vec<ConfNode>, Vec<NodeId>, Vec<ModelProblem>) {
    struct Frame {
        file: FileId,
        items: Vec<DirectiveId>,
        idx: usize,
        parent: Option<NodeId>,
        via: Option<NodeId>,
        chain: Rc<Vec<FileId>>,
    }
    let mut nodes: Vec<ConfNode> = Vec::new();
    let mut roots = Vec::new();
    let mut problems = Vec::new();
    let Some((_, tree)) = files.nginx(root) else {
        return (nodes, roots, problems);
    };
    let mut stack = vec![Frame {
        file: root,
        items: tree.child_directives(None).collect(),
        idx: 0,
        parent: None,
        via: None,
        chain: Rc::new(vec![root]),
    }];
    while let Some(frame) = stack.last_mut() {
        let Some(&d) = frame.items.get(frame.idx) else {
            stack.pop();
            continue;
        };
        frame.idx += 1;
        let (file, parent, via, chain) = (frame.file, frame.parent, frame.via, frame.chain.clone());
        let Some((src, tree)) = files.nginx(file) else {
            continue;
        };
        let id = NodeId(nodes.len() as u32);
        if nodes.len() >= MAX_NODES {
            problems.push(ModelProblem::TooLarge { at: NodeId(id.0.saturating_sub(1)) });
            break;
        }
        let dir = tree.directive(d);
        let text = &src.text;
        let name = dir.name(text).into_owned();
        let is_include = name == "include" && dir.args.len() == 1 && dir.block().is_none();
        let block = dir.block();
        nodes.push(ConfNode {
            file,
            directive: d,
            name,
            args: dir.arg_values(text).into_iter().map(|a| a.into_owned()).collect(),
            range: dir.range,
            arg_ranges: dir.args.iter().map(|w| w.range).collect(),
            parent,
            children: Vec::new(),
            via,
            block: block.is_some(),
        });
        match parent {
            Some(p) => nodes[p.0 as usize].children.push(id),
            None => roots.push(id),
        }
        if is_include {
            for &target in graph.targets(file, d).iter().rev() {
                if chain.contains(&target) {
                    problems.push(ModelProblem::CycleSkipped { include: id, file: target });
                    continue;
                }
                if chain.len() > MAX_INCLUDE_DEPTH {
                    problems.push(ModelProblem::TooDeep { include: id });
                    continue;
                }
                let Some((_, t)) = files.nginx(target) else {
                    continue;
                };
                let mut next_chain = (*chain).clone();
                next_chain.push(target);
                stack.push(Frame {
                    file: target,
                    items: t.child_directives(None).collect(),
                    idx: 0,
                    parent,
                    via: Some(id),
                    chain: Rc::new(next_chain),
                });
            }
        } else if block.is_some() {
            stack.push(Frame { file, items: tree.child_directives(Some(d)).collect(), idx: 0, parent: Some(id), via, chain });
        }
    }
    (nodes, roots, problems)
}

fn infer_context(m: &NginxModel) -> RootContext {
    let has = |names: &[&str]| m.roots.iter().any(|n| names.contains(&m.node(*n).name.as_str()));
    if has(&["http", "events", "stream", "worker_processes", "worker_rlimit_nofile", "pid", "load_module"]) {
        RootContext::Main
    } else if has(&["server", "upstream", "map", "geo", "log_format", "proxy_cache_path", "limit_req_zone", "limit_conn_zone"]) {
        RootContext::Http
    } else if has(&["location", "listen", "server_name"]) {
        RootContext::Server
    } else {
        RootContext::Fragment
    }
}

impl NginxModel {
    pub fn node(&self, id: NodeId) -> &ConfNode {
        &self.nodes[id.0 as usize]
    }

    /// Where a node is written (file and directive range).
    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span()
    }

    /// All nodes in document order, with their ids.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &ConfNode)> + '_ {
        self.nodes.iter().enumerate().map(|(i, n)| (NodeId(i as u32), n))
    }

    /// The nodes at the root file's top level (includes expanded).
    pub fn roots(&self) -> &[NodeId] {
        &self.roots
    }

    /// The nodes of a block, or of the top level for `None`.
    pub fn children(&self, scope: Option<NodeId>) -> &[NodeId] {
        match scope {
            Some(n) => &self.node(n).children,
            None => &self.roots,
        }
    }

    /// The nodes named `name` directly in a scope.
    pub fn directives_in<'a>(&'a self, scope: Option<NodeId>, name: &'a str) -> impl Iterator<Item = NodeId> + 'a {
        self.children(scope).iter().copied().filter(move |n| self.node(*n).name == name)
    }

    pub fn server(&self, id: ServerId) -> &Server {
        &self.servers[id.0 as usize]
    }

    pub fn location(&self, id: LocationId) -> &Location {
        &self.locations[id.0 as usize]
    }

    pub fn upstream(&self, id: UpstreamId) -> &Upstream {
        &self.upstreams[id.0 as usize]
    }

    /// The upstream block with this name (nginx compares names case-insensitively).
    pub fn upstream_named(&self, name: &str) -> Option<UpstreamId> {
        self.upstreams.iter().position(|u| u.name.eq_ignore_ascii_case(name)).map(|i| UpstreamId(i as u32))
    }

    /// Every location of a server, nested ones included, in document order.
    pub fn server_locations(&self, id: ServerId) -> Vec<LocationId> {
        let mut out = Vec::new();
        let mut stack: Vec<LocationId> = self.server(id).locations.iter().rev().copied().collect();
        while let Some(l) = stack.pop() {
            out.push(l);
            stack.extend(self.location(l).nested.iter().rev().copied());
        }
        out
    }

    /// The scopes from `scope` outwards: itself, its enclosing blocks, and the root level.
    pub fn scope_chain(&self, scope: Option<NodeId>) -> Vec<Option<NodeId>> {
        let mut out = vec![scope];
        let mut at = scope;
        while let Some(n) = at {
            at = self.node(n).parent;
            out.push(at);
        }
        out
    }

    /// The value of a simple directive at `scope` after inheritance (for directives that are
    /// not inherited, only `scope` itself counts). The last of several at one level wins.
    pub fn effective(&self, scope: Option<NodeId>, name: &str) -> Effective {
        let chain = match inheritance(name) {
            Inheritance::NotInherited => vec![scope],
            _ => self.scope_chain(scope),
        };
        for level in &chain {
            if let Some(n) = self.directives_in(*level, name).last() {
                return Effective { args: self.node(n).args.clone(), source: Source::Set(n), outer_unknown: false };
            }
        }
        let outer_unknown = self.context != RootContext::Main && chain.last() == Some(&None);
        match default_args(name) {
            Some(d) => Effective { args: d.iter().map(|s| s.to_string()).collect(), source: Source::Default, outer_unknown },
            None => Effective { args: Vec::new(), source: Source::Unset, outer_unknown },
        }
    }

    /// The entries of a list directive (`proxy_set_header`, `add_header`, `allow`/`deny`,
    /// ...) at `scope`: those of the nearest level that has at least one entry of its group.
    pub fn effective_list(&self, scope: Option<NodeId>, name: &str) -> EffectiveList {
        let group: &[&str] = match inheritance(name) {
            Inheritance::Array(g) => g,
            _ => &[],
        };
        let names: Vec<&str> = if group.is_empty() { vec![name] } else { group.to_vec() };
        let chain = self.scope_chain(scope);
        for level in &chain {
            let nodes: Vec<NodeId> =
                self.children(*level).iter().copied().filter(|n| names.contains(&self.node(*n).name.as_str())).collect();
            if !nodes.is_empty() {
                return EffectiveList { nodes, level: Some(*level), outer_unknown: false };
            }
        }
        EffectiveList { nodes: Vec::new(), level: None, outer_unknown: self.context != RootContext::Main }
    }

    /// The request headers the proxy sends upstream from `scope`: the effective
    /// `proxy_set_header` list, then the proxy module's defaults for the names it leaves out.
    pub fn proxy_headers(&self, scope: Option<NodeId>) -> Vec<ProxyHeader> {
        let mut out: Vec<ProxyHeader> = Vec::new();
        for n in self.effective_list(scope, "proxy_set_header").nodes {
            let node = self.node(n);
            if let [name, value] = node.args.as_slice() {
                out.push(ProxyHeader { name: name.clone(), value: value.clone(), source: Source::Set(n) });
            }
        }
        let set: HashSet<String> = out.iter().map(|h| h.name.to_ascii_lowercase()).collect();
        for (name, value) in DEFAULT_PROXY_HEADERS {
            if !set.contains(&name.to_ascii_lowercase()) {
                out.push(ProxyHeader { name: name.to_string(), value: value.to_string(), source: Source::Default });
            }
        }
        out
    }

    /// The header the proxy sends as `name` from `scope` (case-insensitive), if sent: the
    /// first of [`NginxModel::proxy_headers`] by that name that is sent, found without
    /// building the whole list (rules ask for one header at a time, for every location).
    pub fn proxy_header(&self, scope: Option<NodeId>, name: &str) -> Option<ProxyHeader> {
        let mut set = false;
        for n in self.effective_list(scope, "proxy_set_header").nodes {
            if let [h, value] = self.node(n).args.as_slice()
                && h.eq_ignore_ascii_case(name)
            {
                set = true;
                let header = ProxyHeader { name: h.clone(), value: value.clone(), source: Source::Set(n) };
                if header.is_sent() {
                    return Some(header);
                }
            }
        }
        if set {
            return None; // a header set in the list replaces the default of that name
        }
        DEFAULT_PROXY_HEADERS
            .iter()
            .filter(|(h, _)| h.eq_ignore_ascii_case(name))
            .map(|(h, value)| ProxyHeader { name: h.to_string(), value: value.to_string(), source: Source::Default })
            .find(ProxyHeader::is_sent)
    }

    /// The `proxy_pass` written directly in `scope` (a location, an `if` in one, or a
    /// `limit_except`); nginx does not inherit it.
    pub fn proxy_pass(&self, scope: Option<NodeId>) -> Option<ProxyPass> {
        let n = self.directives_in(scope, "proxy_pass").last()?;
        let url = self.node(n).args.first()?.clone();
        let target = pass_target(&url);
        let upstream = match (&target.addr.host, target.has_variables) {
            (Some(h), false) => self.upstream_named(h),
            _ => None,
        };
        let port_on_upstream = upstream.is_some() && target.addr.port.is_some();
        Some(ProxyPass { node: n, url, target, upstream, port_on_upstream })
    }

    fn read_server(&mut self, node: Option<NodeId>, children: &[NodeId]) {
        let sid = ServerId(self.servers.len() as u32);
        let mut server = Server { node, listens: Vec::new(), server_names: Vec::new(), locations: Vec::new(), ifs: Vec::new() };
        for &n in children {
            let c = self.node(n);
            match c.name.as_str() {
                "listen" => {
                    if let Some((addr, params)) = c.args.split_first() {
                        let hp = host_port(addr, true);
                        let port = if hp.unix.is_some() { None } else { hp.port.or(Some(80)).filter(|_| !hp.bad_port) };
                        server.listens.push(Listen {
                            node: n,
                            port,
                            addr: hp,
                            ssl: params.iter().any(|p| p == "ssl"),
                            http2: params.iter().any(|p| p == "http2"),
                            default_server: params.iter().any(|p| p == "default_server" || p == "default"),
                            params: params.to_vec(),
                        });
                    }
                }
                "server_name" => server.server_names.extend(c.args.iter().map(|a| (a.clone(), n))),
                "if" if c.block => server.ifs.push(n),
                _ => {}
            }
        }
        self.servers.push(server);
        // locations, nested ones too, without recursion
        let mut stack: Vec<(NodeId, Option<LocationId>)> =
            children.iter().rev().filter(|n| self.is_location(**n)).map(|n| (*n, None)).collect();
        while let Some((n, parent)) = stack.pop() {
            let c = self.node(n);
            let (kind, path) = location_kind(&c.args).unwrap_or((LocationKind::Prefix, c.args.join(" ")));
            let lid = LocationId(self.locations.len() as u32);
            let mut loc = Location {
                node: n,
                server: sid,
                parent,
                kind,
                path,
                nested: Vec::new(),
                ifs: Vec::new(),
                limit_excepts: Vec::new(),
            };
            for &k in c.children.iter() {
                let kc = self.node(k);
                match kc.name.as_str() {
                    "if" if kc.block => loc.ifs.push(k),
                    "limit_except" if kc.block => loc.limit_excepts.push(k),
                    _ => {}
                }
            }
            let nested: Vec<NodeId> = c.children.iter().rev().copied().filter(|k| self.is_location(*k)).collect();
            self.locations.push(loc);
            match parent {
                Some(p) => self.locations[p.0 as usize].nested.push(lid),
                None => self.servers[sid.0 as usize].locations.push(lid),
            }
            stack.extend(nested.into_iter().map(|k| (k, Some(lid))));
        }
    }

    fn is_location(&self, n: NodeId) -> bool {
        let c = self.node(n);
        c.name == "location" && c.block
    }

    fn read_upstream(&mut self, n: NodeId) {
        let c = self.node(n);
        let name = c.args.first().cloned().unwrap_or_default();
        let servers = c
            .children
            .iter()
            .filter(|k| self.node(**k).name == "server")
            .filter_map(|&k| {
                let (address, params) = self.node(k).args.split_first()?;
                Some(UpstreamServer {
                    node: k,
                    address: address.clone(),
                    addr: host_port(address, false),
                    params: params.to_vec(),
                })
            })
            .collect();
        self.upstreams.push(Upstream { node: n, name, servers });
    }

    fn read_map(&mut self, n: NodeId) {
        let c = self.node(n);
        let [source, variable] = c.args.as_slice() else {
            return;
        };
        let mut map = Map {
            node: n,
            source: source.clone(),
            variable: variable.clone(),
            entries: Vec::new(),
            default: None,
            hostnames: false,
            volatile: false,
        };
        for &k in &c.children {
            let e = self.node(k);
            match (e.name.as_str(), e.args.as_slice()) {
                ("hostnames", []) => map.hostnames = true,
                ("volatile", []) => map.volatile = true,
                ("default", [v]) => map.default = Some(v.clone()),
                ("include", _) => {}
                (key, [v]) => map.entries.push(MapEntry { node: k, key: key.to_string(), value: v.clone() }),
                _ => {}
            }
        }
        self.maps.push(map);
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
