//! How a word typed in a hurry differs from the word meant: the keystrokes of the Telex
//! and VNI input methods left as they were typed ("daan vaajn", "da6n va65n" for "dân
//! vận"), a tone key struck twice (which takes the tone off again: "vaajjn"), letters
//! swapped, doubled, missing or struck in place of another, and syllables run together.
//! A search's corrections start from these; the index's vocabulary says which are words.

use crate::fold;

/// How far a slip takes a word from the one meant; the likelier slips first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slip {
    /// The keystrokes of an input method, read back as the letters they type.
    Keys,
    /// Two letters swapped, a letter doubled, two syllables run together or split.
    Swap,
    /// A letter missing or one too many.
    Letter,
    /// A letter struck in place of another.
    Stroke,
}

/// The letters a folded word is made of: Vietnamese folded, and the foreign words the
/// portals print (Covid, Zalo, Facebook).
const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";

/// Words longer than this are not respelt letter by letter (no Vietnamese syllable is;
/// the candidates would only grow).
const LONGEST: usize = 16;

/// The folded words a typed word (lower case, as a query's word) may have been meant as,
/// each with the likeliest slip that leads to it; the word's own folded form left out.
pub fn meant(word: &str) -> Vec<(String, Slip)> {
    let folded = fold(word);
    if folded.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(String, Slip)> = Vec::new();
    let mut add = |candidate: String, slip: Slip| {
        if candidate.is_empty() || candidate == folded {
            return;
        }
        match found.iter_mut().find(|(w, _)| *w == candidate) {
            Some((_, best)) => *best = (*best).min(slip),
            None => found.push((candidate, slip)),
        }
    };
    for typed in keystrokes(word) {
        add(fold(&typed), Slip::Keys);
    }
    let letters: Vec<char> = folded.chars().collect();
    if letters.len() <= LONGEST {
        for i in 0..letters.len() {
            let mut without = letters.clone();
            let dropped = without.remove(i);
            let doubled = i > 0 && letters[i - 1] == dropped;
            let slip = if doubled { Slip::Swap } else { Slip::Letter };
            add(without.iter().collect(), slip);
            if i + 1 < letters.len() && letters[i] != letters[i + 1] {
                let mut swapped = letters.clone();
                swapped.swap(i, i + 1);
                add(swapped.into_iter().collect(), Slip::Swap);
            }
            for letter in LETTERS.chars().filter(|l| *l != letters[i]) {
                let mut struck = letters.clone();
                struck[i] = letter;
                add(struck.into_iter().collect(), Slip::Stroke);
            }
        }
        for i in 0..=letters.len() {
            for letter in LETTERS.chars() {
                let mut longer = letters.clone();
                longer.insert(i, letter);
                add(longer.into_iter().collect(), Slip::Letter);
            }
        }
    }
    found
}

/// The ways a folded word splits into two that were run together ("danvan" into "dan"
/// and "van"), each side at least one letter.
pub fn splits(folded: &str) -> Vec<(String, String)> {
    folded
        .char_indices()
        .skip(1)
        .map(|(at, _)| (folded[..at].to_owned(), folded[at..].to_owned()))
        .collect()
}

/// What a word's keystrokes type under Telex and under VNI, where they type something
/// else than the word itself; a tone key struck twice is read as struck once.
fn keystrokes(word: &str) -> Vec<String> {
    let mut typed = Vec::new();
    for method in [&vi::TELEX, &vi::VNI] {
        let mut out = String::new();
        let result = vi::transform_buffer(method, word.chars(), &mut out);
        if out != word {
            typed.push(out);
        }
        // The second strike of a key takes its mark off again ("vaajj" types "vâj"):
        // the word meant had the mark, so strike the key once.
        if result.tone_mark_removed || result.letter_modification_removed {
            let chars: Vec<char> = word.chars().collect();
            for i in 1..chars.len() {
                if chars[i] == chars[i - 1] {
                    let mut once = chars.clone();
                    once.remove(i);
                    let mut out = String::new();
                    let again = vi::transform_buffer(method, once, &mut out);
                    if !again.tone_mark_removed && !again.letter_modification_removed {
                        typed.push(out);
                    }
                }
            }
        }
    }
    typed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(word: &str, meant_as: &str) -> Option<Slip> {
        meant(word)
            .into_iter()
            .find(|(w, _)| w == meant_as)
            .map(|(_, s)| s)
    }

    #[test]
    fn keystrokes_left_as_typed_are_read_back() {
        assert_eq!(slip("daan", "dan"), Some(Slip::Keys));
        assert_eq!(slip("vaajn", "van"), Some(Slip::Keys));
        assert_eq!(slip("dduwowngf", "duong"), Some(Slip::Keys));
        assert_eq!(slip("da6n", "dan"), Some(Slip::Keys));
        assert_eq!(slip("va65n", "van"), Some(Slip::Keys));
        assert_eq!(slip("kheos", "kheo"), Some(Slip::Keys));
    }

    #[test]
    fn a_tone_key_struck_twice_is_read_as_struck_once() {
        // Telex types "vâjn": the second "j" took the tone off again.
        assert_eq!(slip("vaajjn", "van"), Some(Slip::Keys));
    }

    #[test]
    fn swapped_doubled_missing_and_struck_letters() {
        assert_eq!(slip("vna", "van"), Some(Slip::Swap));
        assert_eq!(slip("vann", "van"), Some(Slip::Swap));
        assert_eq!(slip("vậận", "van"), Some(Slip::Swap));
        assert_eq!(slip("dn", "dan"), Some(Slip::Letter));
        assert_eq!(slip("dabn", "dan"), Some(Slip::Letter));
        assert_eq!(slip("dam", "dan"), Some(Slip::Stroke));
    }

    #[test]
    fn the_word_itself_is_not_a_slip() {
        assert!(meant("dân").iter().all(|(w, _)| w != "dan"));
        assert!(meant("").is_empty());
    }

    #[test]
    fn run_together_syllables_split_everywhere() {
        let all = splits("danvan");
        assert_eq!(all.len(), 5);
        assert!(all.contains(&("dan".to_owned(), "van".to_owned())));
        assert!(splits("a").is_empty());
    }
}
