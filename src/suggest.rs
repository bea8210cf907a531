//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `word` by edit distance, if reasonably close.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    candidates
        .iter()
        .filter_map(|c| distance_at_most(&w, &c.to_ascii_lowercase(), (c.len() / 3).max(2)).map(|d| (d, *c)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost 1 (a substring is never edited twice).
pub fn distance(a: &str, b: &str) -> usize {
    distance_at_most(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`distance`] when it is at most `max`, `None` otherwise: a word whose length differs by
/// more than `max` is not compared at all, and the table stops filling once two rows in a
/// row exceed `max` (no later row can come back under it). Suggestions compare a word with
/// every option Odoo knows, most of them far off.
pub fn distance_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        osa(a.as_bytes(), b.as_bytes(), max)
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        osa(&a, &b, max)
    }
}

fn osa<T: PartialEq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rows: i-2, i-1 and i.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    let mut prev_min = 0;
    for i in 1..=a.len() {
        cur[0] = i;
        let mut cur_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
            cur_min = cur_min.min(d);
        }
        // every cell of a row comes from the row above plus something, or from the row two
        // above plus one (a swap): two rows over `max` keep every later row over it
        if cur_min > max && prev_min > max {
            return None;
        }
        prev_min = cur_min;
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osa_distance_counts_swaps_once() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("", "ab"), 2);
        assert_eq!(distance("workers", "workres"), 1);
        assert_eq!(distance("ca", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("dbfilter", "db_filter"), 1);
        assert_eq!(distance("é", "e"), 1);
    }

    proptest::proptest! {
        /// The bounded distance is the distance whenever that is within the bound.
        #[test]
        fn bounded_distance_is_the_distance(a in "[abc_é]{0,9}", b in "[abc_é]{0,9}", max in 0usize..6) {
            let d = distance(&a, &b);
            proptest::prop_assert_eq!(distance_at_most(&a, &b, max), (d <= max).then_some(d));
        }
    }
}
