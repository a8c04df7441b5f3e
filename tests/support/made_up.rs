//! Made-up text: words no question or other document uses, so a test can
//! add documents that only it knows, none a near-duplicate of another.

/// A made-up word for `n`, different for every `n` below 6,328,125.
pub fn word(n: usize) -> String {
    const CONSONANTS: &[u8] = b"bcfghjklmnprtvz";
    const VOWELS: &[u8] = b"aeiou";
    let mut rest = n;
    let mut letters = String::new();
    for i in 0..7 {
        let set = if i % 2 == 0 { CONSONANTS } else { VOWELS };
        letters.push(set[rest % set.len()] as char);
        rest /= set.len();
    }
    letters
}

/// A sentence of twelve made-up words, `n` to `n + 11`.
pub fn sentence(n: usize) -> String {
    let words: Vec<String> = (n..n + 12).map(word).collect();
    format!("The {} was seen.", words.join(" "))
}

/// A document of `paragraphs` made-up sentences, one a paragraph, starting
/// at word `n`.
pub fn document(n: usize, paragraphs: usize) -> String {
    let sentences: Vec<String> = (0..paragraphs).map(|p| sentence(n + p * 12)).collect();
    sentences.join("\n\n")
}
