//! rasd's own HTML parser and the compact arena DOM it builds.
//!
//! The tokenizer is zero-copy over the source: it jumps from `<` to `<` with `memchr`,
//! reads tags and attributes (quoted, unquoted, valueless) in place, skips comments,
//! doctypes, processing instructions and CDATA sections, and treats the raw-text
//! elements (`script`, `style`, `textarea`, `title`, `noscript`, ...) as raw text up to
//! their end tag. Character references are decoded only where a `&` occurs (every
//! named reference of HTML, numeric ones with the HTML replacement rules).
//!
//! The tree builder is a simplified HTML5 one: `html`/`head`/`body` are implied,
//! void elements never open, `p` is closed by block starts, `li`/`dt`/`dd`/`option`
//! and table rows and cells close their open siblings, an end tag closes the nearest
//! open element of its name unless a "special" element stands in between (then it is
//! ignored), a stray `</p>` gives an empty paragraph, stray end tags are dropped.
//! Misnested formatting elements are left where they are instead of running the
//! adoption agency algorithm: the text and its order stay the same.
//!
//! Nodes live in one `Vec` and link to each other by index, so every walk over the
//! tree is an iterative loop (no recursion). Text, attribute names and values and
//! unknown tag names are copied once into one string arena; known tag names are small
//! integer ids. Work is linear in the input: the stack of open elements is capped at
//! [`ParseOptions::max_depth`] (scope checks walk at most that far) and counts of open
//! elements per tag let most checks return without walking at all.

use crate::entities::{LEGACY, NAMED};
use std::collections::HashMap;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = usize;

const NONE: u32 = u32::MAX;

/// Input read by the parser: offsets in the arena are `u32`, and decoded text is at
/// most a little longer than its source.
pub const MAX_INPUT_BYTES: usize = 1 << 30;

/// Attributes read per tag; more are ignored (keeps duplicate checks bounded on
/// hostile tags with thousands of attributes).
const MAX_ATTRIBUTES: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Document,
    Element,
    Text,
}

/// One node. Text and attributes live in the [`Dom`]'s arena.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    /// Tag id of an element (see [`Dom::tag`]).
    tag: u32,
    /// Text: byte range in the arena; element: range in [`Dom`]'s attribute list.
    a: u32,
    b: u32,
    parent: u32,
    first_child: u32,
    last_child: u32,
    next: u32,
    prev: u32,
}

impl Node {
    fn new(kind: NodeKind, tag: u32, a: u32, b: u32) -> Self {
        Node {
            kind,
            tag,
            a,
            b,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
            prev: NONE,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Attr {
    name: (u32, u32),
    value: (u32, u32),
}

/// How to parse. [`ParseOptions::default`] keeps everything (raw-text elements as
/// elements with one text child, every attribute).
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Elements dropped with everything up to their end tag, before tree building
    /// (lower-case names). Their content is skipped as raw text.
    pub dropped: &'static [&'static str],
    /// Which attributes to keep: `(tag, lower-case attribute name, raw value)`.
    pub keep_attribute: fn(&str, &str, &str) -> bool,
    /// `class` values are cut after this many tokens (0 = never).
    pub max_class_tokens: usize,
    /// Elements are not opened deeper than this; their content goes to the
    /// deepest open element.
    pub max_depth: usize,
    /// Parsing stops once this many nodes exist.
    pub max_nodes: usize,
    /// Runs of ASCII whitespace in text shrink to one character (a newline when
    /// the run holds one).
    pub collapse_whitespace: bool,
}

fn keep_every_attribute(_: &str, _: &str, _: &str) -> bool {
    true
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            dropped: &[],
            keep_attribute: keep_every_attribute,
            max_class_tokens: 0,
            max_depth: 512,
            max_nodes: usize::MAX,
            collapse_whitespace: false,
        }
    }
}

/// The parsed document.
///
/// Node ids follow document order as parsed: every node's id is larger than its
/// parent's and than the ids of everything before it, so a pass over `0..len()`
/// visits parents first and a reverse pass children first (detached subtrees
/// included; they no longer link to their old parent).
#[derive(Debug, Clone)]
pub struct Dom {
    pub nodes: Vec<Node>,
    attrs: Vec<Attr>,
    /// Text, attribute names and values.
    arena: String,
    /// Lower-cased names of the tags not in [`KNOWN_TAGS`], and their ranges.
    custom_names: String,
    custom_tags: Vec<(u32, u32)>,
    /// Contents of `<script type="application/ld+json">` blocks, in order.
    pub json_ld: Vec<String>,
}

impl Dom {
    pub const ROOT: NodeId = 0;

    /// Parses `html` as an HTML document, keeping everything.
    pub fn parse(html: &str) -> Dom {
        Dom::parse_with(html, &ParseOptions::default())
    }

    /// Parses `html` as an HTML document (at most its first [`MAX_INPUT_BYTES`]).
    pub fn parse_with(html: &str, opts: &ParseOptions) -> Dom {
        let mut end = html.len().min(MAX_INPUT_BYTES);
        while !html.is_char_boundary(end) {
            end -= 1;
        }
        let html = &html[..end];
        let mut b = Builder::new(html.len(), opts);
        b.run(html);
        b.dom
    }

    /// Number of nodes (ids run from 0 to `len() - 1`).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    pub fn is_element(&self, id: NodeId) -> bool {
        self.nodes[id].kind == NodeKind::Element
    }

    /// The tag id of an element: an index in [`KNOWN_TAGS`] for the tags of HTML,
    /// larger for others (0 for non-elements, which [`Dom::tag`] shows as "").
    pub fn tag_id(&self, id: NodeId) -> u32 {
        self.nodes[id].tag
    }

    /// The lower-case local name of an element (empty for other nodes).
    pub fn tag(&self, id: NodeId) -> &str {
        let n = &self.nodes[id];
        if n.kind != NodeKind::Element {
            return "";
        }
        self.tag_name(n.tag)
    }

    fn tag_name(&self, tag: u32) -> &str {
        match KNOWN_TAGS.get(tag as usize) {
            Some(t) => t,
            None => {
                let (s, e) = self.custom_tags[tag as usize - KNOWN_TAGS.len()];
                &self.custom_names[s as usize..e as usize]
            }
        }
    }

    fn attr_list(&self, id: NodeId) -> &[Attr] {
        let n = &self.nodes[id];
        if n.kind != NodeKind::Element {
            return &[];
        }
        &self.attrs[n.a as usize..n.b as usize]
    }

    /// Whether an element kept any attribute.
    pub fn has_attrs(&self, id: NodeId) -> bool {
        !self.attr_list(id).is_empty()
    }

    /// The value of attribute `name` (lower case) of an element.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.attr_list(id)
            .iter()
            .find(|a| self.span(a.name) == name)
            .map(|a| self.span(a.value))
    }

    /// Every kept attribute of an element, `(name, value)`.
    pub fn attrs(&self, id: NodeId) -> impl Iterator<Item = (&str, &str)> {
        self.attr_list(id)
            .iter()
            .map(|a| (self.span(a.name), self.span(a.value)))
    }

    fn span(&self, (s, e): (u32, u32)) -> &str {
        &self.arena[s as usize..e as usize]
    }

    pub fn text_of(&self, id: NodeId) -> Option<&str> {
        let n = &self.nodes[id];
        (n.kind == NodeKind::Text).then(|| self.span((n.a, n.b)))
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.nodes[id].parent;
        (p != NONE).then_some(p as NodeId)
    }

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id].first_child,
        }
    }

    /// The children of `id`, last first.
    pub fn children_rev(&self, id: NodeId) -> ChildrenRev<'_> {
        ChildrenRev {
            dom: self,
            next: self.nodes[id].last_child,
        }
    }

    /// Every node under `id` (not `id` itself), in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id as u32,
            next: self.nodes[id].first_child,
        }
    }

    /// The next node in document order after `id` that is not under `id`, bounded by `root`.
    fn skip_subtree(&self, mut id: u32, root: u32) -> u32 {
        loop {
            if id == root {
                return NONE;
            }
            let n = &self.nodes[id as usize];
            if n.next != NONE {
                return n.next;
            }
            id = n.parent;
            if id == NONE {
                return NONE;
            }
        }
    }

    /// Pre-order walk under `root` that can skip subtrees: `visit` returns false to
    /// not descend into a node.
    pub fn walk(&self, root: NodeId, mut visit: impl FnMut(NodeId) -> bool) {
        let mut id = self.nodes[root].first_child;
        while id != NONE {
            let descend = visit(id as NodeId);
            let first = self.nodes[id as usize].first_child;
            id = if descend && first != NONE {
                first
            } else {
                self.skip_subtree(id, root as u32)
            };
        }
    }

    /// Concatenated text under `id`.
    pub fn text(&self, id: NodeId) -> String {
        let mut s = String::new();
        if let Some(t) = self.text_of(id) {
            s.push_str(t);
        }
        for d in self.descendants(id) {
            if let Some(t) = self.text_of(d) {
                s.push_str(t);
            }
        }
        s
    }

    /// Detaches `id` from its parent.
    pub fn detach(&mut self, id: NodeId) {
        let (parent, prev, next) = {
            let n = &self.nodes[id];
            (n.parent, n.prev, n.next)
        };
        if parent == NONE {
            return;
        }
        if prev != NONE {
            self.nodes[prev as usize].next = next;
        } else {
            self.nodes[parent as usize].first_child = next;
        }
        if next != NONE {
            self.nodes[next as usize].prev = prev;
        } else {
            self.nodes[parent as usize].last_child = prev;
        }
        let n = &mut self.nodes[id];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    fn append(&mut self, parent: u32, child: u32) {
        let last = self.nodes[parent as usize].last_child;
        {
            let c = &mut self.nodes[child as usize];
            c.parent = parent;
            c.prev = last;
        }
        if last != NONE {
            self.nodes[last as usize].next = child;
        } else {
            self.nodes[parent as usize].first_child = child;
        }
        self.nodes[parent as usize].last_child = child;
    }
}

pub struct Children<'a> {
    dom: &'a Dom,
    next: u32,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].next;
        Some(id as NodeId)
    }
}

pub struct ChildrenRev<'a> {
    dom: &'a Dom,
    next: u32,
}

impl Iterator for ChildrenRev<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].prev;
        Some(id as NodeId)
    }
}

pub struct Descendants<'a> {
    dom: &'a Dom,
    root: u32,
    next: u32,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        let first = self.dom.nodes[id as usize].first_child;
        self.next = if first != NONE {
            first
        } else {
            self.dom.skip_subtree(id, self.root)
        };
        Some(id as NodeId)
    }
}

// ---------------------------------------------------------------------------
// Tags

/// The tag names of HTML the tree builder knows, sorted (binary search); a tag's id
/// is its index here.
pub const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "bgsound",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "link",
    "listing",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "nobr",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "plaintext",
    "pre",
    "progress",
    "q",
    "rb",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
];

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The id of a known tag (compile-time: a name missing from [`KNOWN_TAGS`] fails the build).
const fn id(name: &str) -> u32 {
    let mut i = 0;
    while i < KNOWN_TAGS.len() {
        if str_eq(KNOWN_TAGS[i], name) {
            return i as u32;
        }
        i += 1;
    }
    panic!("tag missing from KNOWN_TAGS")
}

/// The id of `name` (lower case) when it is a tag of HTML.
pub fn known_tag_id(name: &str) -> Option<u32> {
    known_tag_id_bytes(name.as_bytes())
}

/// Slots of the open-addressing table of known tag names (a power of two, several
/// times the number of names so that probes are short).
const TAG_TABLE_SLOTS: usize = 1024;

fn tag_hash(b: &[u8]) -> usize {
    let mut h: u32 = b.len() as u32;
    for &c in b {
        h = h.wrapping_mul(31).wrapping_add(u32::from(c));
    }
    (h ^ (h >> 9)) as usize & (TAG_TABLE_SLOTS - 1)
}

/// Tag id + 1 by name hash (0 = empty slot), linear probing.
static TAG_TABLE: std::sync::LazyLock<Vec<u16>> = std::sync::LazyLock::new(|| {
    let mut t = vec![0u16; TAG_TABLE_SLOTS];
    for (i, name) in KNOWN_TAGS.iter().enumerate() {
        let mut k = tag_hash(name.as_bytes());
        while t[k] != 0 {
            k = (k + 1) & (TAG_TABLE_SLOTS - 1);
        }
        t[k] = i as u16 + 1;
    }
    t
});

fn known_tag_id_bytes(name: &[u8]) -> Option<u32> {
    let table = &*TAG_TABLE;
    let mut k = tag_hash(name);
    loop {
        let v = table[k];
        if v == 0 {
            return None;
        }
        if KNOWN_TAGS[v as usize - 1].as_bytes() == name {
            return Some(u32::from(v) - 1);
        }
        k = (k + 1) & (TAG_TABLE_SLOTS - 1);
    }
}

/// A fast non-cryptographic hasher (FNV-1a) for small in-process maps whose keys
/// are not chosen to collide (tag names of one page, fixed word lists).
#[derive(Default, Clone, Copy)]
pub struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// `HashMap`/`HashSet` hasher state for [`FnvHasher`].
pub type FnvBuild = std::hash::BuildHasherDefault<FnvHasher>;

const A: u32 = id("a");
const BODY: u32 = id("body");
const BR: u32 = id("br");
const BUTTON: u32 = id("button");
const COL: u32 = id("col");
const COLGROUP: u32 = id("colgroup");
const DD: u32 = id("dd");
const DT: u32 = id("dt");
const HEAD: u32 = id("head");
const HTML: u32 = id("html");
const IMAGE: u32 = id("image");
const IMG: u32 = id("img");
const LI: u32 = id("li");
const NOBR: u32 = id("nobr");
const OPTGROUP: u32 = id("optgroup");
const OPTION: u32 = id("option");
const P: u32 = id("p");
const PLAINTEXT: u32 = id("plaintext");
const SCRIPT: u32 = id("script");
const TABLE: u32 = id("table");
const TBODY: u32 = id("tbody");
const TD: u32 = id("td");
const TFOOT: u32 = id("tfoot");
const TH: u32 = id("th");
const THEAD: u32 = id("thead");
const TR: u32 = id("tr");
const CAPTION: u32 = id("caption");
const ADDRESS: u32 = id("address");
const DIV: u32 = id("div");

// Tag properties (bits).
const VOID: u32 = 1;
/// "Special" elements of the HTML5 tree builder: an end tag of another name does not
/// close them.
const SPECIAL: u32 = 1 << 1;
/// A start tag that closes an open `p`.
const CLOSES_P: u32 = 1 << 2;
const SCOPE_DEFAULT: u32 = 1 << 3;
const SCOPE_LIST: u32 = 1 << 4;
const SCOPE_BUTTON: u32 = 1 << 5;
const SCOPE_TABLE: u32 = 1 << 6;
const HEADING: u32 = 1 << 7;
/// Elements that live in `<head>` when they come before the body.
const HEAD_CONTENT: u32 = 1 << 8;
/// Raw text up to the end tag, no markup, no character references.
const RAWTEXT: u32 = 1 << 9;
/// Text up to the end tag with character references decoded, no markup.
const RCDATA: u32 = 1 << 10;
/// End tag closes the nearest open element of its name within the default scope.
const CLOSE_IN_SCOPE: u32 = 1 << 11;
/// Markers of the list of active formatting elements: an `<a>` does not close an
/// open `<a>` outside them.
const MARKER: u32 = 1 << 12;

const VOID_TAGS: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];
const SPECIAL_TAGS: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];
const CLOSES_P_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "li",
    "dd",
    "dt",
    "plaintext",
    "table",
    "hr",
    "xmp",
];
const SCOPE_DEFAULT_TAGS: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];
const HEAD_CONTENT_TAGS: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "template",
    "title", "noscript",
];
const RAWTEXT_TAGS: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript",
];
const CLOSE_IN_SCOPE_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
    "form",
    "applet",
    "marquee",
    "object",
    "dd",
    "dt",
];
const MARKER_TAGS: &[&str] = &[
    "applet", "object", "marquee", "template", "td", "th", "caption",
];

const fn set_flags(
    mut f: [u32; KNOWN_TAGS.len()],
    names: &[&str],
    bit: u32,
) -> [u32; KNOWN_TAGS.len()] {
    let mut i = 0;
    while i < names.len() {
        f[id(names[i]) as usize] |= bit;
        i += 1;
    }
    f
}

const FLAGS: [u32; KNOWN_TAGS.len()] = {
    let f = [0u32; KNOWN_TAGS.len()];
    let f = set_flags(f, VOID_TAGS, VOID);
    let f = set_flags(f, SPECIAL_TAGS, SPECIAL);
    let f = set_flags(f, CLOSES_P_TAGS, CLOSES_P);
    let f = set_flags(f, SCOPE_DEFAULT_TAGS, SCOPE_DEFAULT);
    let f = set_flags(f, &["ol", "ul"], SCOPE_LIST);
    let f = set_flags(f, &["button"], SCOPE_BUTTON);
    let f = set_flags(f, &["html", "table", "template"], SCOPE_TABLE);
    let f = set_flags(f, &["h1", "h2", "h3", "h4", "h5", "h6"], HEADING);
    let f = set_flags(f, HEAD_CONTENT_TAGS, HEAD_CONTENT);
    let f = set_flags(f, RAWTEXT_TAGS, RAWTEXT);
    let f = set_flags(f, &["title", "textarea"], RCDATA);
    let f = set_flags(f, CLOSE_IN_SCOPE_TAGS, CLOSE_IN_SCOPE);
    set_flags(f, MARKER_TAGS, MARKER)
};

fn flags(tag: u32) -> u32 {
    FLAGS.get(tag as usize).copied().unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Tokenizer helpers

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// A start or end tag as read from the source: names and values are byte ranges.
#[derive(Default)]
struct RawTag {
    name: (usize, usize),
    attrs: Vec<((usize, usize), (usize, usize))>,
    self_closing: bool,
    /// Index just after the closing `>`.
    end: usize,
}

/// Reads the tag whose name starts at `start` (just after `<` or `</`). Returns false
/// when the input ends inside the tag (the tag is then dropped, as HTML does).
fn read_tag(b: &[u8], start: usize, tag: &mut RawTag) -> bool {
    let mut i = start;
    while i < b.len() && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    tag.name = (start, i);
    tag.attrs.clear();
    tag.self_closing = false;
    loop {
        // Whitespace and stray slashes between attributes.
        while i < b.len() && (is_ws(b[i]) || b[i] == b'/') {
            tag.self_closing = b[i] == b'/' && b.get(i + 1) == Some(&b'>');
            i += 1;
        }
        if i >= b.len() {
            return false;
        }
        if b[i] == b'>' {
            tag.end = i + 1;
            return true;
        }
        tag.self_closing = false;
        let name_start = i;
        i += 1; // the first character may be '='
        while i < b.len() && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = (name_start, i);
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        let mut value = (i, i);
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            if i >= b.len() {
                return false;
            }
            let q = b[i];
            if q == b'"' || q == b'\'' {
                let Some(e) = memchr::memchr(q, &b[i + 1..]) else {
                    return false;
                };
                value = (i + 1, i + 1 + e);
                i = i + 1 + e + 1;
            } else {
                let vs = i;
                while i < b.len() && !is_ws(b[i]) && b[i] != b'>' {
                    i += 1;
                }
                value = (vs, i);
            }
        }
        tag.attrs.push((name, value));
    }
}

/// Position of the `<` of the end tag `</name` (any case, followed by a name end)
/// at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(p) = memchr::memmem::find(&b[at..], b"</") {
        let i = at + p;
        let n = i + 2;
        if b.len() >= n + name.len()
            && b[n..n + name.len()].eq_ignore_ascii_case(name)
            && b.get(n + name.len())
                .is_none_or(|&c| is_ws(c) || c == b'/' || c == b'>')
        {
            return Some(i);
        }
        at = n;
    }
    None
}

/// Appends `s` to `out`, decoding character references when `decode` and shrinking
/// whitespace runs when `collapse`.
fn push_text(out: &mut String, s: &str, decode: bool, in_attr: bool, collapse: bool) {
    if decode && memchr::memchr(b'&', s.as_bytes()).is_some() {
        if collapse {
            let mut tmp = String::with_capacity(s.len());
            decode_refs(&mut tmp, s, in_attr);
            push_collapsed(out, &tmp);
        } else {
            decode_refs(out, s, in_attr);
        }
    } else if collapse {
        push_collapsed(out, s);
    } else {
        out.push_str(s);
    }
}

/// Copies `s`, each run of two or more ASCII whitespace characters shortened to one
/// (a newline when the run holds one). Extraction collapses whitespace anyway; the
/// arena stays small and the later passes read fewer characters.
fn push_collapsed(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < b.len() {
        if is_ws(b[i]) && is_ws(b[i + 1]) {
            let mut j = i;
            let mut newline = false;
            while j < b.len() && is_ws(b[j]) {
                newline |= b[j] == b'\n';
                j += 1;
            }
            out.push_str(&s[start..i]);
            out.push(if newline { '\n' } else { ' ' });
            start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[start..]);
}

/// The characters HTML maps the C1 numeric references `&#128;`..`&#159;` to (Windows-1252).
const C1_REPLACEMENTS: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{8D}', '\u{017D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{9D}', '\u{017E}', '\u{0178}',
];

/// Longest entity name in the HTML list ("CounterClockwiseContourIntegral").
const MAX_ENTITY_NAME: usize = 32;

/// Decodes the character references of `s` into `out`.
pub fn decode_refs(out: &mut String, s: &str, in_attr: bool) {
    let b = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'&', &b[i..]) {
        let amp = i + p;
        i = amp + 1;
        if b.get(amp + 1) == Some(&b'#') {
            let hex = matches!(b.get(amp + 2), Some(b'x' | b'X'));
            let digits_start = amp + 2 + usize::from(hex);
            let mut j = digits_start;
            let mut value: u32 = 0;
            while j < b.len() {
                let d = match (b[j], hex) {
                    (c @ b'0'..=b'9', _) => u32::from(c - b'0'),
                    (c @ b'a'..=b'f', true) => u32::from(c - b'a' + 10),
                    (c @ b'A'..=b'F', true) => u32::from(c - b'A' + 10),
                    _ => break,
                };
                value = value
                    .saturating_mul(if hex { 16 } else { 10 })
                    .saturating_add(d);
                j += 1;
            }
            if j == digits_start {
                continue; // "&#" without digits is text
            }
            let end = if b.get(j) == Some(&b';') { j + 1 } else { j };
            let c = match value {
                0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize],
                0 => '\u{FFFD}',
                v => char::from_u32(v).unwrap_or('\u{FFFD}'),
            };
            out.push_str(&s[copied..amp]);
            out.push(c);
            copied = end;
            i = end;
            continue;
        }
        let mut j = amp + 1;
        while j < b.len() && j - amp <= MAX_ENTITY_NAME && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == amp + 1 {
            continue;
        }
        let name = &s[amp + 1..j];
        if b.get(j) == Some(&b';')
            && let Ok(k) = NAMED.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()))
        {
            out.push_str(&s[copied..amp]);
            out.push_str(NAMED[k].1);
            copied = j + 1;
            i = j + 1;
            continue;
        }
        // Legacy names work without ';' and as the longest prefix of a longer run
        // («&nbsp», «&ampx»); in attribute values not when a letter, digit or '='
        // follows (query strings like "?a=1&copy=2" stay as they are).
        let Some(len) = (2..=name.len()).rev().find(|&l| {
            LEGACY
                .binary_search_by(|n| n.as_bytes().cmp(&name.as_bytes()[..l]))
                .is_ok()
        }) else {
            continue;
        };
        let after = b.get(amp + 1 + len).copied();
        if in_attr && after.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'=') {
            continue;
        }
        if let Ok(k) = NAMED.binary_search_by(|(n, _)| n.as_bytes().cmp(&name.as_bytes()[..len])) {
            out.push_str(&s[copied..amp]);
            out.push_str(NAMED[k].1);
            copied = amp + 1 + len;
            i = copied;
        }
    }
    out.push_str(&s[copied..]);
}

// ---------------------------------------------------------------------------
// Tree builder

struct Builder<'o> {
    dom: Dom,
    opts: &'o ParseOptions,
    /// Open elements, innermost last.
    stack: Vec<u32>,
    /// How many elements of each known tag are on the stack.
    open: Vec<u32>,
    html: u32,
    head: u32,
    body: u32,
    /// A doctype was seen (no quirks mode: `<table>` closes an open `<p>`).
    doctype: bool,
    custom: HashMap<Box<[u8]>, u32, FnvBuild>,
    /// Node count reached `max_nodes`: nothing more is added.
    full: bool,
    /// Tag ids of [`ParseOptions::dropped`].
    dropped: Vec<u32>,
}

impl<'o> Builder<'o> {
    fn new(len: usize, opts: &'o ParseOptions) -> Self {
        let mut nodes = Vec::with_capacity(len / 40 + 16);
        nodes.push(Node::new(NodeKind::Document, 0, 0, 0));
        Builder {
            dom: Dom {
                nodes,
                attrs: Vec::with_capacity(len / 200 + 8),
                arena: String::with_capacity(len / 4 + 64),
                custom_names: String::new(),
                custom_tags: Vec::new(),
                json_ld: Vec::new(),
            },
            opts,
            stack: Vec::with_capacity(64),
            open: vec![0; KNOWN_TAGS.len()],
            html: NONE,
            head: NONE,
            body: NONE,
            doctype: false,
            custom: HashMap::default(),
            full: false,
            dropped: Vec::new(),
        }
    }

    fn run(&mut self, html: &str) {
        for name in self.opts.dropped {
            let t = self.tag_of(name);
            self.dropped.push(t);
        }
        let b = html.as_bytes();
        let mut tag = RawTag::default();
        let mut text_start = 0;
        let mut i = 0;
        while let Some(p) = memchr::memchr(b'<', &b[i..]) {
            if self.full {
                return;
            }
            let lt = i + p;
            match b.get(lt + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    self.text(&html[text_start..lt], true);
                    if !read_tag(b, lt + 1, &mut tag) {
                        return;
                    }
                    i = self.start_tag(html, &tag);
                }
                Some(b'/') => match b.get(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.text(&html[text_start..lt], true);
                        if !read_tag(b, lt + 2, &mut tag) {
                            return;
                        }
                        let t = self.tag_of(&html[tag.name.0..tag.name.1]);
                        self.end_tag(t);
                        i = tag.end;
                    }
                    Some(b'>') => {
                        self.text(&html[text_start..lt], true);
                        i = lt + 3;
                    }
                    Some(_) => {
                        // "</ x>": a bogus comment up to '>'.
                        self.text(&html[text_start..lt], true);
                        i = skip_to(b, lt + 2, b">");
                    }
                    None => {
                        i = lt + 1;
                        continue;
                    }
                },
                Some(b'!') => {
                    self.text(&html[text_start..lt], true);
                    let rest = &b[lt + 2..];
                    i = if rest.starts_with(b"--") {
                        comment_end(b, lt + 4)
                    } else if rest.starts_with(b"[CDATA[") {
                        skip_to(b, lt + 9, b"]]>")
                    } else {
                        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
                            self.doctype = true;
                        }
                        skip_to(b, lt + 2, b">")
                    };
                }
                Some(b'?') => {
                    self.text(&html[text_start..lt], true);
                    i = skip_to(b, lt + 2, b">");
                }
                _ => {
                    // A '<' that opens nothing is text.
                    i = lt + 1;
                    continue;
                }
            }
            text_start = i;
        }
        if !self.full {
            self.text(&html[text_start..], true);
        }
    }

    /// The tag id of a name as written in the source.
    fn tag_of(&mut self, name: &str) -> u32 {
        let mut buf = [0u8; 32];
        let key: std::borrow::Cow<[u8]> = if name.len() <= buf.len() {
            for (d, s) in buf.iter_mut().zip(name.bytes()) {
                *d = s.to_ascii_lowercase();
            }
            std::borrow::Cow::Borrowed(&buf[..name.len()])
        } else {
            std::borrow::Cow::Owned(name.as_bytes().to_ascii_lowercase())
        };
        if let Some(t) = known_tag_id_bytes(&key) {
            return t;
        }
        if let Some(&t) = self.custom.get(&*key) {
            return t;
        }
        let key: Box<[u8]> = key.into_owned().into_boxed_slice();
        let names = &mut self.dom.custom_names;
        let s = names.len() as u32;
        names.push_str(&name.to_ascii_lowercase());
        let t = (KNOWN_TAGS.len() + self.dom.custom_tags.len()) as u32;
        let e = names.len() as u32;
        self.dom.custom_tags.push((s, e));
        self.custom.insert(key, t);
        t
    }

    /// Handles a start tag; returns where tokenizing goes on.
    fn start_tag(&mut self, html: &str, tag: &RawTag) -> usize {
        let b = html.as_bytes();
        let name = &html[tag.name.0..tag.name.1];
        let mut t = self.tag_of(name);
        if t == IMAGE {
            t = IMG;
        }
        let f = flags(t);
        let dropped = self.dropped.contains(&t);
        if t == SCRIPT {
            let is_ld = tag.attrs.iter().any(|&(n, v)| {
                html[n.0..n.1].eq_ignore_ascii_case("type")
                    && html[v.0..v.1].to_ascii_lowercase().contains("ld+json")
            });
            if is_ld {
                let close = find_end_tag(b, tag.end, b"script");
                let content = &html[tag.end..close.unwrap_or(b.len())];
                self.dom.json_ld.push(content.to_string());
            }
        }
        if dropped || f & (RAWTEXT | RCDATA) != 0 {
            let lname = self.dom.tag_name(t).as_bytes().to_vec();
            let close = find_end_tag(b, tag.end, &lname);
            let content_end = close.unwrap_or(b.len());
            let after = close.map(|c| skip_to(b, c + 2, b">")).unwrap_or(b.len());
            if !dropped {
                let content = &html[tag.end..content_end];
                if let Some(el) = self.insert(t, html, tag, false) {
                    self.text_into(el, content, f & RCDATA != 0);
                }
            }
            return after;
        }
        if t == PLAINTEXT {
            if let Some(el) = self.insert(t, html, tag, false) {
                self.text_into(el, &html[tag.end..], true);
            }
            return b.len();
        }
        self.insert(t, html, tag, true);
        tag.end
    }

    fn current(&self) -> u32 {
        *self.stack.last().unwrap_or(&self.html)
    }

    fn current_tag(&self) -> u32 {
        match self.stack.last() {
            Some(&n) => self.dom.nodes[n as usize].tag,
            None => NONE,
        }
    }

    fn push(&mut self, node: u32) {
        let t = self.dom.nodes[node as usize].tag as usize;
        if let Some(c) = self.open.get_mut(t) {
            *c += 1;
        }
        self.stack.push(node);
    }

    fn pop(&mut self) {
        if let Some(n) = self.stack.pop() {
            let t = self.dom.nodes[n as usize].tag as usize;
            if let Some(c) = self.open.get_mut(t) {
                *c -= 1;
            }
        }
    }

    /// Pops elements until the one at stack index `k` is popped too (never the root `html`).
    fn pop_to(&mut self, k: usize) {
        let k = k.max(1);
        while self.stack.len() > k {
            self.pop();
        }
    }

    fn is_open(&self, t: u32) -> bool {
        self.open.get(t as usize).is_none_or(|&c| c > 0)
    }

    /// Stack index of the innermost open `t` within a scope bounded by elements
    /// carrying `boundary`.
    fn in_scope(&self, t: u32, boundary: u32) -> Option<usize> {
        if !self.is_open(t) {
            return None;
        }
        for (k, &n) in self.stack.iter().enumerate().rev() {
            let nt = self.dom.nodes[n as usize].tag;
            if nt == t {
                return Some(k);
            }
            if flags(nt) & boundary != 0 {
                return None;
            }
        }
        None
    }

    fn close_p(&mut self) {
        if let Some(k) = self.in_scope(P, SCOPE_DEFAULT | SCOPE_BUTTON) {
            self.pop_to(k);
        }
    }

    fn ensure_html(&mut self) {
        if self.html == NONE {
            let n = self.new_node(Node::new(NodeKind::Element, HTML, 0, 0));
            self.dom.append(Dom::ROOT as u32, n);
            self.html = n;
            self.stack.clear();
            self.push(n);
        }
    }

    fn ensure_head(&mut self) {
        self.ensure_html();
        if self.head == NONE {
            let n = self.new_node(Node::new(NodeKind::Element, HEAD, 0, 0));
            self.dom.append(self.html, n);
            self.head = n;
        }
    }

    fn ensure_body(&mut self) {
        self.ensure_html();
        if self.body == NONE {
            self.ensure_head();
            while self.stack.len() > 1 {
                self.pop();
            }
            let n = self.new_node(Node::new(NodeKind::Element, BODY, 0, 0));
            self.dom.append(self.html, n);
            self.body = n;
            self.push(n);
        }
    }

    fn new_node(&mut self, node: Node) -> u32 {
        let id = self.dom.nodes.len();
        if id + 1 >= self.opts.max_nodes {
            self.full = true;
        }
        self.dom.nodes.push(node);
        id as u32
    }

    /// Adds the kept attributes of `tag` to the attribute list; returns their range.
    fn add_attrs(&mut self, t: u32, html: &str, tag: &RawTag) -> (u32, u32) {
        let start = self.dom.attrs.len() as u32;
        let custom_name;
        let tname: &str = match KNOWN_TAGS.get(t as usize) {
            Some(k) => k,
            None => {
                custom_name = self.dom.tag_name(t).to_string();
                &custom_name
            }
        };
        for &(n, v) in tag.attrs.iter().take(MAX_ATTRIBUTES) {
            let raw_name = &html[n.0..n.1];
            let mut value = &html[v.0..v.1];
            // Names are nearly always lower case already: copy only otherwise.
            let name_owned;
            let name: &str = if raw_name.bytes().any(|c| c.is_ascii_uppercase()) {
                name_owned = raw_name.to_ascii_lowercase();
                &name_owned
            } else {
                raw_name
            };
            if !(self.opts.keep_attribute)(tname, name, value) {
                continue;
            }
            // The first of repeated attributes wins.
            let have = &self.dom.attrs[start as usize..];
            if have
                .iter()
                .any(|a| &self.dom.arena[a.name.0 as usize..a.name.1 as usize] == name)
            {
                continue;
            }
            if name == "class" && self.opts.max_class_tokens > 0 {
                value = first_tokens(value, self.opts.max_class_tokens);
            }
            let arena = &mut self.dom.arena;
            let ns = arena.len() as u32;
            arena.push_str(name);
            let vs = arena.len() as u32;
            push_text(arena, value, true, true, false);
            let ve = arena.len() as u32;
            self.dom.attrs.push(Attr {
                name: (ns, vs),
                value: (vs, ve),
            });
        }
        (start, self.dom.attrs.len() as u32)
    }

    /// Adds attributes of a repeated `<html>`/`<body>` tag that `node` lacks.
    fn merge_attrs(&mut self, node: u32, html: &str, tag: &RawTag) {
        let t = self.dom.nodes[node as usize].tag;
        let old = (
            self.dom.nodes[node as usize].a,
            self.dom.nodes[node as usize].b,
        );
        if (old.1 - old.0) as usize >= MAX_ATTRIBUTES {
            return;
        }
        let (ns, ne) = self.add_attrs(t, html, tag);
        if ns == ne {
            return;
        }
        // Copy the old attributes after the new ones so the node's range stays contiguous,
        // then drop the new ones the node already had.
        let start = self.dom.attrs.len() as u32;
        for k in old.0..old.1 {
            let a = self.dom.attrs[k as usize];
            self.dom.attrs.push(a);
        }
        for k in ns..ne {
            let a = self.dom.attrs[k as usize];
            let name = &self.dom.arena[a.name.0 as usize..a.name.1 as usize];
            let dup = (old.0..old.1).any(|o| {
                let b = self.dom.attrs[o as usize];
                &self.dom.arena[b.name.0 as usize..b.name.1 as usize] == name
            });
            if !dup {
                self.dom.attrs.push(a);
            }
        }
        let n = &mut self.dom.nodes[node as usize];
        n.a = start;
        n.b = self.dom.attrs.len() as u32;
    }

    /// Tree construction for a start tag: closes what it implies, creates the element
    /// under the right parent, opens it when `open` and it is not void. Returns the
    /// new element (None when the tag is ignored).
    fn insert(&mut self, t: u32, html: &str, tag: &RawTag, open: bool) -> Option<u32> {
        let f = flags(t);
        self.ensure_html();
        if t == HTML {
            let h = self.html;
            self.merge_attrs(h, html, tag);
            return None;
        }
        if self.body == NONE {
            if t == HEAD {
                if self.head == NONE {
                    self.ensure_head();
                    let h = self.head;
                    let (a, b) = self.add_attrs(HEAD, html, tag);
                    self.dom.nodes[h as usize].a = a;
                    self.dom.nodes[h as usize].b = b;
                }
                return None;
            }
            if f & HEAD_CONTENT != 0 {
                self.ensure_head();
                let head = self.head;
                return Some(self.create_under(head, t, html, tag));
            }
            if t == BODY {
                self.ensure_body();
                let b = self.body;
                self.merge_attrs(b, html, tag);
                return None;
            }
            self.ensure_body();
        }
        match t {
            BODY => {
                let b = self.body;
                self.merge_attrs(b, html, tag);
                return None;
            }
            HEAD => return None,
            _ => {}
        }
        if f & CLOSES_P != 0 && (t != TABLE || self.doctype) {
            self.close_p();
        }
        if f & HEADING != 0 && flags(self.current_tag()) & HEADING != 0 {
            self.pop();
        }
        match t {
            LI | DD | DT => {
                // Close the open item of the same list, unless a special element
                // (other than address, div, p) stands in between.
                let same = |x: u32| if t == LI { x == LI } else { x == DD || x == DT };
                if self.is_open(LI) || self.is_open(DD) || self.is_open(DT) {
                    for k in (0..self.stack.len()).rev() {
                        let nt = self.dom.nodes[self.stack[k] as usize].tag;
                        if same(nt) {
                            self.pop_to(k);
                            break;
                        }
                        if flags(nt) & SPECIAL != 0 && !matches!(nt, ADDRESS | DIV | P) {
                            break;
                        }
                    }
                }
            }
            A if self.is_open(A) => {
                // An open link with only inline elements above it was left unclosed:
                // close it. With a block in between («<a><div>..<a>»), the new link
                // nests instead, so the blocks the page closes later are still open.
                for k in (0..self.stack.len()).rev() {
                    let nt = self.dom.nodes[self.stack[k] as usize].tag;
                    if nt == A {
                        self.pop_to(k);
                        break;
                    }
                    if flags(nt) & (MARKER | SPECIAL) != 0 {
                        break;
                    }
                }
            }
            BUTTON | NOBR => {
                if let Some(k) = self.in_scope(t, SCOPE_DEFAULT) {
                    self.pop_to(k);
                }
            }
            OPTION | OPTGROUP if self.current_tag() == OPTION => self.pop(),
            CAPTION | COLGROUP | TBODY | THEAD | TFOOT | COL => {
                self.in_scope(TABLE, SCOPE_TABLE)?;
                let stop = |x: u32| x == TABLE || (t == COL && x == COLGROUP);
                while !stop(self.current_tag()) {
                    self.pop();
                }
            }
            TR => {
                self.in_scope(TABLE, SCOPE_TABLE)?;
                while !matches!(self.current_tag(), TABLE | TBODY | THEAD | TFOOT) {
                    self.pop();
                }
            }
            TD | TH => {
                self.in_scope(TABLE, SCOPE_TABLE)?;
                while !matches!(self.current_tag(), TR | TABLE | TBODY | THEAD | TFOOT) {
                    self.pop();
                }
            }
            _ => {}
        }
        let opens = open && f & VOID == 0;
        if opens && self.stack.len() >= self.opts.max_depth {
            return None;
        }
        let parent = self.current();
        let el = self.create_under(parent, t, html, tag);
        if opens {
            self.push(el);
        }
        Some(el)
    }

    fn create_under(&mut self, parent: u32, t: u32, html: &str, tag: &RawTag) -> u32 {
        let (a, b) = self.add_attrs(t, html, tag);
        let el = self.new_node(Node::new(NodeKind::Element, t, a, b));
        self.dom.append(parent, el);
        el
    }

    fn end_tag(&mut self, t: u32) {
        if self.body == NONE {
            match t {
                HEAD => {
                    if self.current_tag() == HEAD {
                        self.pop();
                    }
                    return;
                }
                BODY | HTML | BR => self.ensure_body(),
                _ => return,
            }
        }
        let f = flags(t);
        match t {
            BODY | HTML | HEAD => {}
            P => {
                if let Some(k) = self.in_scope(P, SCOPE_DEFAULT | SCOPE_BUTTON) {
                    self.pop_to(k);
                } else {
                    // A stray </p> gives an empty paragraph (it still ends a block).
                    let parent = self.current();
                    if !self.full {
                        let el = self.new_node(Node::new(NodeKind::Element, P, 0, 0));
                        self.dom.append(parent, el);
                    }
                }
            }
            BR => {
                let parent = self.current();
                if !self.full {
                    let el = self.new_node(Node::new(NodeKind::Element, BR, 0, 0));
                    self.dom.append(parent, el);
                }
            }
            LI => {
                if let Some(k) = self.in_scope(LI, SCOPE_DEFAULT | SCOPE_LIST) {
                    self.pop_to(k);
                }
            }
            TABLE | TBODY | THEAD | TFOOT | TR | TD | TH | CAPTION | COLGROUP => {
                if let Some(k) = self.in_scope(t, SCOPE_TABLE) {
                    self.pop_to(k);
                }
            }
            _ if f & HEADING != 0 => {
                for k in (0..self.stack.len()).rev() {
                    let nt = self.dom.nodes[self.stack[k] as usize].tag;
                    if flags(nt) & HEADING != 0 {
                        self.pop_to(k);
                        break;
                    }
                    if flags(nt) & SCOPE_DEFAULT != 0 {
                        break;
                    }
                }
            }
            _ if f & CLOSE_IN_SCOPE != 0 => {
                if let Some(k) = self.in_scope(t, SCOPE_DEFAULT) {
                    self.pop_to(k);
                }
            }
            _ => {
                // Any other end tag closes the nearest open element of its name unless
                // a special element comes first.
                if !self.is_open(t) {
                    return;
                }
                for k in (0..self.stack.len()).rev() {
                    let nt = self.dom.nodes[self.stack[k] as usize].tag;
                    if nt == t {
                        self.pop_to(k);
                        break;
                    }
                    if flags(nt) & SPECIAL != 0 {
                        break;
                    }
                }
            }
        }
    }

    /// Character data between tags.
    fn text(&mut self, s: &str, decode: bool) {
        if s.is_empty() || self.full {
            return;
        }
        if self.body == NONE {
            if s.bytes().all(is_ws) {
                return;
            }
            self.ensure_body();
        }
        let parent = self.current();
        self.text_into(parent, s, decode);
    }

    /// Appends text to `parent`, merged with a text node that ends it.
    fn text_into(&mut self, parent: u32, s: &str, decode: bool) {
        if s.is_empty() || self.full {
            return;
        }
        let last = self.dom.nodes[parent as usize].last_child;
        let collapse = self.opts.collapse_whitespace;
        // Merge with the text node that ends `parent` when its text ends the arena
        // (nothing was written since); otherwise a second text node follows it.
        if last != NONE
            && self.dom.nodes[last as usize].kind == NodeKind::Text
            && self.dom.nodes[last as usize].b as usize == self.dom.arena.len()
        {
            push_text(&mut self.dom.arena, s, decode, false, collapse);
            self.dom.nodes[last as usize].b = self.dom.arena.len() as u32;
            return;
        }
        let start = self.dom.arena.len() as u32;
        push_text(&mut self.dom.arena, s, decode, false, collapse);
        let end = self.dom.arena.len() as u32;
        let n = self.new_node(Node::new(NodeKind::Text, 0, start, end));
        self.dom.append(parent, n);
    }
}

/// Index after the first `pat` at or after `from` (the input length when none).
fn skip_to(b: &[u8], from: usize, pat: &[u8]) -> usize {
    let from = from.min(b.len());
    match memchr::memmem::find(&b[from..], pat) {
        Some(p) => from + p + pat.len(),
        None => b.len(),
    }
}

/// End of a comment whose body starts at `from`: after `-->` (or `--!>`); `<!-->`
/// and `<!--->` end at once.
fn comment_end(b: &[u8], from: usize) -> usize {
    let from = from.min(b.len());
    let rest = &b[from..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut at = from;
    while let Some(p) = memchr::memmem::find(&b[at..], b"--") {
        let d = at + p;
        match b.get(d + 2) {
            Some(b'>') => return d + 3,
            Some(b'!') if b.get(d + 3) == Some(&b'>') => return d + 4,
            _ => at = d + 1,
        }
    }
    b.len()
}

/// The first `n` whitespace-separated tokens of `v` (with the spaces between them).
fn first_tokens(v: &str, n: usize) -> &str {
    let b = v.as_bytes();
    let mut count = 0;
    let mut in_tok = false;
    for (i, &c) in b.iter().enumerate() {
        if is_ws(c) {
            if in_tok {
                count += 1;
                in_tok = false;
                if count == n {
                    return &v[..i];
                }
            }
        } else {
            in_tok = true;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(dom: &Dom, tag: &str) -> Vec<NodeId> {
        dom.descendants(Dom::ROOT)
            .filter(|&n| dom.tag(n) == tag)
            .collect()
    }

    /// The tree as nested `tag(...)` with text in quotes, for structure checks.
    fn shape(dom: &Dom) -> String {
        let mut out = String::new();
        let mut stack = vec![(Dom::ROOT, false)];
        while let Some((id, exit)) = stack.pop() {
            if exit {
                out.push(')');
                continue;
            }
            if let Some(t) = dom.text_of(id) {
                out.push_str(&format!("{t:?}"));
                continue;
            }
            if id != Dom::ROOT {
                out.push_str(dom.tag(id));
                out.push('(');
                stack.push((id, true));
            }
            let kids: Vec<_> = dom.children(id).collect();
            for k in kids.into_iter().rev() {
                stack.push((k, false));
            }
        }
        out
    }

    #[test]
    fn known_tags_are_sorted() {
        assert!(KNOWN_TAGS.windows(2).all(|w| w[0] < w[1]));
        assert!(
            NAMED
                .windows(2)
                .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes())
        );
    }

    #[test]
    fn builds_a_tree_with_implied_elements() {
        let dom = Dom::parse("<p>أ<b>ب</b><p>ج");
        let ps = find(&dom, "p");
        assert_eq!(ps.len(), 2);
        assert_eq!(dom.text(ps[0]), "أب");
        assert_eq!(dom.text(ps[1]), "ج");
        assert_eq!(shape(&dom), "html(head()body(p(\"أ\"b(\"ب\"))p(\"ج\")))");
    }

    #[test]
    fn misnested_tags_keep_text_and_order() {
        let dom = Dom::parse("<div><b>x<i>y</b>z</i></div>");
        let div = find(&dom, "div")[0];
        assert_eq!(dom.text(div), "xyz");
    }

    #[test]
    fn head_elements_and_implied_body() {
        let dom = Dom::parse(
            "<!DOCTYPE html><html lang=ar><title>عنوان &amp; آخر</title>\
             <meta name=description content='وصف'><div>نص</div><meta property=x content=y>",
        );
        assert_eq!(
            shape(&dom),
            "html(head(title(\"عنوان & آخر\")meta())body(div(\"نص\")meta()))"
        );
        let html = find(&dom, "html")[0];
        assert_eq!(dom.attr(html, "lang"), Some("ar"));
        let meta = find(&dom, "meta")[0];
        assert_eq!(dom.attr(meta, "content"), Some("وصف"));
    }

    #[test]
    fn implied_end_tags() {
        let dom = Dom::parse(
            "<ul><li>a<li>b<ul><li>c</ul><li>d</ul><dl><dt>t<dd>u<dt>v</dl>\
             <select><option>o<option>p</select><p>x<div>y</div>",
        );
        assert_eq!(
            shape(&dom),
            "html(head()body(ul(li(\"a\")li(\"b\"ul(li(\"c\")))li(\"d\"))\
             dl(dt(\"t\")dd(\"u\")dt(\"v\"))select(option(\"o\")option(\"p\"))p(\"x\")div(\"y\")))"
        );
    }

    #[test]
    fn tables_close_rows_and_cells() {
        let dom =
            Dom::parse("<table><tr><td>a<td><div>b</div><tr><th>c</table><td>stray</td><p>after");
        assert_eq!(
            shape(&dom),
            "html(head()body(table(tr(td(\"a\")td(div(\"b\")))tr(th(\"c\")))\"stray\"p(\"after\")))"
        );
    }

    #[test]
    fn end_tags_close_the_nearest_open_element() {
        // </span> does not close the div; </div> closes through the open span.
        let dom = Dom::parse("<div><span>a<div>b</span>c</div>d</div>e");
        assert_eq!(
            shape(&dom),
            "html(head()body(div(span(\"a\"div(\"bc\")\"d\"))\"e\"))"
        );
        // A stray </p> is an empty paragraph; other stray end tags vanish.
        let dom = Dom::parse("a</p>b</x></div>c");
        assert_eq!(shape(&dom), "html(head()body(\"a\"p()\"bc\"))");
    }

    #[test]
    fn an_unclosed_link_is_closed_by_the_next() {
        let dom = Dom::parse("<p><a href=1>one<a href=2>two</p>");
        assert_eq!(shape(&dom), "html(head()body(p(a(\"one\")a(\"two\"))))");
        // A block link holding another link keeps its blocks open.
        let dom = Dom::parse("<div><a><div><div><a>x</a></div>y</div></a>z</div>w");
        assert_eq!(
            shape(&dom),
            "html(head()body(div(a(div(div(a(\"x\"))\"y\"))\"z\")\"w\"))"
        );
    }

    #[test]
    fn attributes_quoted_unquoted_and_bare() {
        let dom = Dom::parse(
            "<div id=main class='a b' data-x=\"1>2\" hidden title=\"&quot;q&quot; &amp x\">t</div>",
        );
        let d = find(&dom, "div")[0];
        assert_eq!(dom.attr(d, "id"), Some("main"));
        assert_eq!(dom.attr(d, "class"), Some("a b"));
        assert_eq!(dom.attr(d, "data-x"), Some("1>2"));
        assert_eq!(dom.attr(d, "hidden"), Some(""));
        assert_eq!(dom.attr(d, "title"), Some("\"q\" & x"));
        assert_eq!(dom.text(d), "t");
    }

    #[test]
    fn character_references() {
        let mut s = String::new();
        decode_refs(
            &mut s,
            "&lt;b&gt; &amp;amp; &nbsp;x&nbspy &#1604;&#x644; &#150; &#0; &bogus; &amp &#; a&b",
            false,
        );
        assert_eq!(
            s,
            "<b> &amp; \u{a0}x\u{a0}y لل \u{2013} \u{fffd} &bogus; & &#; a&b"
        );
        let mut s = String::new();
        decode_refs(&mut s, "?a=1&copy=2&amp;b", true);
        assert_eq!(s, "?a=1&copy=2&b");
    }

    #[test]
    fn comments_doctype_cdata_and_processing_instructions_vanish() {
        let dom = Dom::parse(
            "<!DOCTYPE html><?xml version='1.0'?><p>a<!-- <p>hidden</p> -->b<!---->c\
             <![CDATA[ x > y ]]>d<!-->e</ bogus>f</>g",
        );
        let p = find(&dom, "p")[0];
        assert_eq!(dom.text(p), "abcdefg");
        assert_eq!(dom.children(p).count(), 1, "adjacent text merges");
    }

    #[test]
    fn raw_text_elements() {
        let dom = Dom::parse(
            "<p>x</p><script>if (a<b) { s = '</p>'; }</script><style>p>b{}</style>\
             <textarea><b>&amp;</b></textarea><title>a<b>c</title>",
        );
        let script = find(&dom, "script")[0];
        assert_eq!(dom.text(script), "if (a<b) { s = '</p>'; }");
        assert_eq!(dom.text(find(&dom, "style")[0]), "p>b{}");
        assert_eq!(dom.text(find(&dom, "textarea")[0]), "<b>&</b>");
        assert_eq!(dom.text(find(&dom, "title")[0]), "a<b>c");
        assert!(find(&dom, "b").is_empty());
    }

    #[test]
    fn dropped_elements_and_json_ld() {
        let opts = ParseOptions {
            dropped: &["script", "style", "svg"],
            ..ParseOptions::default()
        };
        let dom = Dom::parse_with(
            "<p>أ</p><script>if (a<b) {}</script><STYLE>p{}</STYLE><svg><text>x</text></svg>\
             <script type=\"application/ld+json\">{\"a\":1}</script><p>ب</p>",
            &opts,
        );
        assert_eq!(shape(&dom), "html(head()body(p(\"أ\")p(\"ب\")))");
        assert_eq!(dom.json_ld, ["{\"a\":1}"]);
        // An unterminated dropped element swallows the rest.
        let dom = Dom::parse_with("<p>x</p><script>var s = '</p>", &opts);
        assert_eq!(shape(&dom), "html(head()body(p(\"x\")))");
        // Names that only start alike are not dropped.
        let dom = Dom::parse_with("<scripts>t</scripts>", &opts);
        assert_eq!(shape(&dom), "html(head()body(scripts(\"t\")))");
    }

    #[test]
    fn attribute_filter_class_cut_and_whitespace() {
        fn keep(_: &str, name: &str, _: &str) -> bool {
            matches!(name, "class" | "id")
        }
        let opts = ParseOptions {
            keep_attribute: keep,
            max_class_tokens: 2,
            collapse_whitespace: true,
            ..ParseOptions::default()
        };
        let dom = Dom::parse_with(
            "<DIV CLASS='a  b c' data-x=1 ID=m>  one \n\n  two\t\tthree</DIV>",
            &opts,
        );
        let d = find(&dom, "div")[0];
        assert_eq!(
            dom.attrs(d).collect::<Vec<_>>(),
            [("class", "a  b"), ("id", "m")]
        );
        assert_eq!(dom.text(d), " one\ntwo three");
    }

    #[test]
    fn repeated_html_and_body_tags_add_attributes() {
        let dom = Dom::parse("<html><body class=a><p>x</p><body id=b class=c><html lang=ar>");
        let body = find(&dom, "body");
        assert_eq!(body.len(), 1);
        assert_eq!(dom.attr(body[0], "class"), Some("a"));
        assert_eq!(dom.attr(body[0], "id"), Some("b"));
        assert_eq!(dom.attr(find(&dom, "html")[0], "lang"), Some("ar"));
    }

    #[test]
    fn custom_elements_keep_their_names() {
        let dom = Dom::parse("<My-Widget a=1><x-y>t</x-y></my-widget><p>u");
        assert_eq!(
            shape(&dom),
            "html(head()body(my-widget(x-y(\"t\"))p(\"u\")))"
        );
    }

    #[test]
    fn input_ending_inside_a_tag_drops_the_tag() {
        let dom = Dom::parse("<p>a</p><p class=\"x");
        assert_eq!(shape(&dom), "html(head()body(p(\"a\")))");
        let dom = Dom::parse("<p>a<");
        assert_eq!(dom.text(Dom::ROOT), "a<");
    }

    #[test]
    fn deep_nesting_is_capped_not_recursive() {
        let opts = ParseOptions {
            max_depth: 50,
            ..ParseOptions::default()
        };
        let html = "<div>".repeat(100_000) + "<p>x</p>" + &"</div>".repeat(100_000);
        let dom = Dom::parse_with(&html, &opts);
        assert!(find(&dom, "div").len() < 50);
        assert_eq!(dom.text(Dom::ROOT), "x");
        // With the default cap too.
        let dom = Dom::parse(&html);
        assert_eq!(dom.text(Dom::ROOT), "x");
    }

    #[test]
    fn a_hundred_thousand_unclosed_tags_stay_linear() {
        // Each kind hits a different rule: inline nesting, implied ends, link
        // closing, table cells, list items, end tags that close nothing.
        for unit in [
            "<span>a",
            "<p>a",
            "<a>a",
            "<td>a",
            "<li>a",
            "<b><i>a",
            "</div>a",
            "<table><tr><td>a",
        ] {
            let html = unit.repeat(100_000);
            let dom = Dom::parse(&html);
            assert_eq!(dom.text(Dom::ROOT).len(), 100_000, "{unit}");
        }
    }

    #[test]
    fn ids_follow_document_order() {
        let dom = Dom::parse(
            "<title>t</title><meta a=b><p>a<table><tr><td>x<td>y</table><ul><li>1<li>2</ul>\
             <b>q<i>r</b>s</i><div><span>z</div>w</p>v<meta c=d>",
        );
        let order: Vec<NodeId> = dom.descendants(Dom::ROOT).collect();
        assert_eq!(order, (1..dom.len()).collect::<Vec<_>>());
        for id in 1..dom.len() {
            assert!(dom.parent(id).unwrap() < id);
        }
    }

    #[test]
    fn node_cap_stops_parsing() {
        let opts = ParseOptions {
            max_nodes: 1_000,
            ..ParseOptions::default()
        };
        let dom = Dom::parse_with(&"<p>x</p>".repeat(10_000), &opts);
        assert!(dom.len() <= 1_000);
    }

    #[test]
    fn a_hundred_megabyte_page_parses() {
        // Long paragraphs with a few tags each: the tokenizer jumps from '<' to '<'.
        let unit = format!(
            "<div class=c><p>{}<b>عريض</b> &amp; <a href=#>رابط</a></p></div>\n",
            "نص طويل ".repeat(1_000)
        );
        let html = unit.repeat(100 * 1024 * 1024 / unit.len());
        let dom = Dom::parse(&html);
        let ps = find(&dom, "p");
        assert_eq!(ps.len(), 100 * 1024 * 1024 / unit.len());
        assert!(dom.text(ps[ps.len() - 1]).ends_with("عريض & رابط"));
    }
}
