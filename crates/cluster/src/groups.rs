//! Groups of documents joined pair by pair: a union-find with the member list of each group,
//! shared by the copy and the rewrite detectors.

use rustc_hash::FxHashMap;

/// Union-find over document ids `0..len`, with path halving and union by size.
#[derive(Debug, Default)]
pub(crate) struct Groups {
    parent: Vec<u32>,
    /// Members of each group of two or more, by root.
    members: FxHashMap<u32, Vec<u32>>,
}

impl Groups {
    /// Adds the next document, alone in its group.
    pub fn push(&mut self) {
        self.parent.push(self.parent.len() as u32);
    }

    /// Root of the group of `x`.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    /// Joins the groups of `a` and `b`. Returns the root of the joined group and the root it
    /// absorbed, or `None` when they were one group already.
    pub fn union(&mut self, a: u32, b: u32) -> Option<(u32, u32)> {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return None;
        }
        let ma = self.members.remove(&ra).unwrap_or_else(|| vec![ra]);
        let mb = self.members.remove(&rb).unwrap_or_else(|| vec![rb]);
        let (mut big, small, root, child) = if ma.len() >= mb.len() {
            (ma, mb, ra, rb)
        } else {
            (mb, ma, rb, ra)
        };
        self.parent[child as usize] = root;
        big.extend(small);
        self.members.insert(root, big);
        Some((root, child))
    }

    /// Members of the group with this root, when it holds two or more.
    pub fn members(&self, root: u32) -> Option<&[u32]> {
        self.members.get(&root).map(Vec::as_slice)
    }

    /// Number of groups of two or more.
    pub fn count(&self) -> usize {
        self.members.len()
    }

    /// Bytes of the parent links (for benches).
    pub fn heap_bytes(&self) -> usize {
        self.parent.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unions_merge_member_lists() {
        let mut g = Groups::default();
        for _ in 0..5 {
            g.push();
        }
        assert_eq!(g.union(0, 1), Some((0, 1)));
        assert_eq!(g.union(3, 1), Some((0, 3)), "the larger group absorbs");
        assert_eq!(g.union(1, 3), None);
        let root = g.find(3);
        let mut m = g.members(root).unwrap().to_vec();
        m.sort_unstable();
        assert_eq!(m, [0, 1, 3]);
        let alone = g.find(4);
        assert_eq!(g.members(alone), None);
        assert_eq!(g.count(), 1);
    }
}
