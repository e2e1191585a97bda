//! A compact arena DOM built by html5ever's tree builder.
//!
//! Only what extraction needs is kept: element names, attributes, text. Nodes live in
//! one `Vec` and link to each other by index, so every walk over the tree is an
//! iterative loop over indices (no recursion, no reference counting).

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, QualName, local_name, ns};
use std::borrow::Cow;
use std::cell::{Ref, RefCell};

/// Index of a node in [`Dom::nodes`].
pub type NodeId = usize;

const NONE: usize = usize::MAX;

#[derive(Debug, Clone)]
pub enum NodeData {
    Document,
    Element {
        attrs: Vec<(LocalName, StrTendril)>,
    },
    Text(StrTendril),
    /// Comments, doctypes, processing instructions: kept only as placeholders.
    Other,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub name: QualName,
    pub data: NodeData,
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub next: NodeId,
    pub prev: NodeId,
}

impl Node {
    fn new(name: QualName, data: NodeData) -> Self {
        Node {
            name,
            data,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next: NONE,
            prev: NONE,
        }
    }
}

/// The parsed document.
#[derive(Debug, Clone)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

fn dummy_name() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

impl Dom {
    pub const ROOT: NodeId = 0;

    /// Parses `html` as an HTML5 document.
    pub fn parse(html: &str) -> Dom {
        let sink = Sink {
            nodes: RefCell::new(vec![Node::new(dummy_name(), NodeData::Document)]),
        };
        html5ever::parse_document(sink, Default::default()).one(StrTendril::from_slice(html))
    }

    pub fn is_element(&self, id: NodeId) -> bool {
        matches!(self.nodes[id].data, NodeData::Element { .. })
    }

    /// The local name of an element (empty for other nodes).
    pub fn tag(&self, id: NodeId) -> &str {
        &self.nodes[id].name.local
    }

    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        match &self.nodes[id].data {
            NodeData::Element { attrs } => {
                attrs.iter().find(|(n, _)| &**n == name).map(|(_, v)| &**v)
            }
            _ => None,
        }
    }

    pub fn text_of(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].data {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.nodes[id].parent;
        (p != NONE).then_some(p)
    }

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id].first_child,
        }
    }

    /// Every node under `id` (not `id` itself), in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id,
            next: self.nodes[id].first_child,
        }
    }

    /// The next node in document order after `id` that is not under `id`, bounded by `root`.
    fn skip_subtree(&self, mut id: NodeId, root: NodeId) -> NodeId {
        loop {
            if id == root {
                return NONE;
            }
            let n = &self.nodes[id];
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
            let descend = visit(id);
            let first = self.nodes[id].first_child;
            id = if descend && first != NONE {
                first
            } else {
                self.skip_subtree(id, root)
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
            self.nodes[prev].next = next;
        } else {
            self.nodes[parent].first_child = next;
        }
        if next != NONE {
            self.nodes[next].prev = prev;
        } else {
            self.nodes[parent].last_child = prev;
        }
        let n = &mut self.nodes[id];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }
}

pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id].next;
        Some(id)
    }
}

pub struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: NodeId,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        let first = self.dom.nodes[id].first_child;
        self.next = if first != NONE {
            first
        } else {
            self.dom.skip_subtree(id, self.root)
        };
        Some(id)
    }
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
}

impl Sink {
    fn push(&self, node: Node) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(node);
        nodes.len() - 1
    }

    fn detach(&self, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let (parent, prev, next) = {
            let n = &nodes[id];
            (n.parent, n.prev, n.next)
        };
        if parent == NONE {
            return;
        }
        if prev != NONE {
            nodes[prev].next = next;
        } else {
            nodes[parent].first_child = next;
        }
        if next != NONE {
            nodes[next].prev = prev;
        } else {
            nodes[parent].last_child = prev;
        }
        let n = &mut nodes[id];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    /// Inserts `child` (already detached) under `parent` before `before` (NONE = at the end).
    fn link(&self, parent: NodeId, child: NodeId, before: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let prev = if before == NONE {
            nodes[parent].last_child
        } else {
            nodes[before].prev
        };
        nodes[child].parent = parent;
        nodes[child].prev = prev;
        nodes[child].next = before;
        if prev != NONE {
            nodes[prev].next = child;
        } else {
            nodes[parent].first_child = child;
        }
        if before != NONE {
            nodes[before].prev = child;
        } else {
            nodes[parent].last_child = child;
        }
    }

    fn insert(&self, parent: NodeId, before: NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(id) => {
                self.detach(id);
                self.link(parent, id, before);
            }
            NodeOrText::AppendText(text) => {
                // Merge with the text node just before the insertion point.
                {
                    let mut nodes = self.nodes.borrow_mut();
                    let prev = if before == NONE {
                        nodes[parent].last_child
                    } else {
                        nodes[before].prev
                    };
                    if prev != NONE
                        && let NodeData::Text(t) = &mut nodes[prev].data
                    {
                        t.push_tendril(&text);
                        return;
                    }
                }
                let id = self.push(Node::new(dummy_name(), NodeData::Text(text)));
                self.link(parent, id, before);
            }
        }
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        Dom::ROOT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |n| &n[*target].name)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> NodeId {
        let attrs = attrs.into_iter().map(|a| (a.name.local, a.value)).collect();
        self.push(Node::new(name, NodeData::Element { attrs }))
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(Node::new(dummy_name(), NodeData::Other))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(Node::new(dummy_name(), NodeData::Other))
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.insert(*parent, NONE, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.nodes.borrow()[*element].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let parent = self.nodes.borrow()[*sibling].parent;
        if parent == NONE {
            return;
        }
        self.insert(parent, *sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let NodeData::Element { attrs: have } = &mut nodes[*target].data {
            for a in attrs {
                if !have.iter().any(|(n, _)| *n == a.name.local) {
                    have.push((a.name.local, a.value));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        loop {
            let first = self.nodes.borrow()[*node].first_child;
            if first == NONE {
                break;
            }
            self.detach(first);
            self.link(*new_parent, first, NONE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_implied_elements() {
        let dom = Dom::parse("<p>أ<b>ب</b><p>ج");
        let ps: Vec<_> = dom
            .descendants(Dom::ROOT)
            .filter(|&n| dom.tag(n) == "p")
            .collect();
        assert_eq!(ps.len(), 2);
        assert_eq!(dom.text(ps[0]), "أب");
        assert_eq!(dom.text(ps[1]), "ج");
    }

    #[test]
    fn misnested_tags_are_repaired() {
        let dom = Dom::parse("<div><b>x<i>y</b>z</i></div>");
        let div = dom
            .descendants(Dom::ROOT)
            .find(|&n| dom.tag(n) == "div")
            .unwrap();
        assert_eq!(dom.text(div), "xyz");
    }
}
