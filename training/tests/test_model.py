"""Parameter names follow HuggingFace's BertModel, so a real bert-base-chinese folder can be fine-tuned."""
import json
import tempfile
import unittest
from pathlib import Path

import torch

from training.finetune import load_init, new_model
from training.model import BertConfig, BertForPreTraining, BertForSequenceClassification

# Keys of transformers' BertModel for one layer (transformers 4.x state_dict, position_ids buffer excluded).
HF_BERT_KEYS = {
    "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
    "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias",
    "encoder.layer.0.attention.self.query.weight", "encoder.layer.0.attention.self.query.bias",
    "encoder.layer.0.attention.self.key.weight", "encoder.layer.0.attention.self.key.bias",
    "encoder.layer.0.attention.self.value.weight", "encoder.layer.0.attention.self.value.bias",
    "encoder.layer.0.attention.output.dense.weight", "encoder.layer.0.attention.output.dense.bias",
    "encoder.layer.0.attention.output.LayerNorm.weight", "encoder.layer.0.attention.output.LayerNorm.bias",
    "encoder.layer.0.intermediate.dense.weight", "encoder.layer.0.intermediate.dense.bias",
    "encoder.layer.0.output.dense.weight", "encoder.layer.0.output.dense.bias",
    "encoder.layer.0.output.LayerNorm.weight", "encoder.layer.0.output.LayerNorm.bias",
    "pooler.dense.weight", "pooler.dense.bias",
}
CFG = dict(vocab_size=40, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
           max_position_embeddings=64)


class HfLayoutTest(unittest.TestCase):
    def test_keys_match_hf_bert_model(self):
        model = BertForSequenceClassification(BertConfig(**CFG), 8)
        self.assertEqual(set(model.bert.state_dict()), HF_BERT_KEYS)
        self.assertIn("classifier.weight", model.state_dict())

    def test_pretraining_heads_named_like_hf(self):
        sd = BertForPreTraining(BertConfig(**CFG)).state_dict_hf()
        for k in ("cls.predictions.bias", "cls.predictions.transform.dense.weight",
                  "cls.predictions.transform.LayerNorm.weight", "cls.predictions.decoder.weight",
                  "cls.seq_relationship.weight"):
            self.assertIn(k, sd)

    def test_loads_hf_checkpoint_folder_with_vocab_txt(self):
        """A folder laid out like bert-base-chinese: config.json, pytorch_model.bin with `bert.` keys
        (TF-era LayerNorm gamma/beta names included), vocab.txt without our speaker markers."""
        torch.manual_seed(0)
        src = BertForPreTraining(BertConfig(**CFG)).state_dict_hf()
        hf = {}
        for k, v in src.items():
            k = k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
            hf[k] = v.clone()
        vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [chr(0x4E00 + i) for i in range(35)]
        with tempfile.TemporaryDirectory() as d:
            d = Path(d)
            torch.save(hf, d / "pytorch_model.bin")
            (d / "config.json").write_text(json.dumps({"model_type": "bert", **CFG}))
            (d / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
            cfg, sd, tok = load_init(d)
        self.assertEqual(len(tok), 42)  # markers appended
        self.assertEqual(tok.encode("[seeker]一"), [40, 5])
        model = new_model(cfg, sd, len(tok))
        got = model.bert.state_dict()
        q = "encoder.layer.0.attention.self.query.weight"
        self.assertTrue(torch.equal(got[q], hf["bert." + q]))
        self.assertTrue(torch.equal(got["embeddings.LayerNorm.weight"], hf["bert.embeddings.LayerNorm.gamma"]))
        emb = got["embeddings.word_embeddings.weight"]
        self.assertEqual(tuple(emb.shape), (42, 16))
        self.assertTrue(torch.equal(emb[:40], hf["bert.embeddings.word_embeddings.weight"]))
        logits, pooled = model(torch.tensor([[2, 40, 5, 3]]), torch.ones(1, 4, dtype=torch.long),
                               torch.zeros(1, 4, dtype=torch.long))
        self.assertEqual(tuple(logits.shape), (1, 8))

    def test_missing_encoder_weights_is_an_error(self):
        from training.model import load_hf_state_dict

        model = BertForSequenceClassification(BertConfig(**CFG), 8)
        with self.assertRaises(ValueError):
            load_hf_state_dict(model, {"bert.pooler.dense.weight": torch.zeros(16, 16)})


if __name__ == "__main__":
    unittest.main()


class WideNgramsTest(unittest.TestCase):
    def test_features_stay_within_their_segment_and_ignore_padding(self):
        from training.model import WideNgrams

        wide = WideNgrams(97, 8)
        torch.nn.init.normal_(wide.table.weight)
        ids = torch.tensor([[2, 10, 11, 3, 12, 3, 0, 0]])
        types = torch.tensor([[0, 0, 0, 0, 1, 1, 0, 0]])
        mask = torch.tensor([[1, 1, 1, 1, 1, 1, 0, 0]])
        out = wide(ids, mask, types)
        # Changing padded positions must not change the output.
        ids2 = ids.clone()
        ids2[0, 6:] = 55
        self.assertTrue(torch.allclose(out, wide(ids2, mask, types)))
        # Changing a response token changes it.
        ids3 = ids.clone()
        ids3[0, 4] = 13
        self.assertFalse(torch.allclose(out, wide(ids3, mask, types)))


class WideTrigramTest(unittest.TestCase):
    def test_trigrams_respect_segments_padding_and_short_inputs(self):
        from training.model import WideNgrams

        torch.manual_seed(0)
        tri = WideNgrams(97, 8, ngrams=3)
        torch.nn.init.normal_(tri.table.weight)
        ids = torch.tensor([[2, 10, 11, 3, 12, 14, 15, 3, 0, 0]])
        types = torch.tensor([[0, 0, 0, 0, 1, 1, 1, 1, 0, 0]])
        mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1, 1, 0, 0]])
        out = tri(ids, mask, types)
        padded = ids.clone()
        padded[0, 8:] = 55
        self.assertTrue(torch.allclose(out, tri(padded, mask, types)))
        # The same table read as uni/bigrams only gives a different output: the trigram terms count.
        bi = WideNgrams(97, 8, ngrams=2)
        bi.table.weight.data.copy_(tri.table.weight.data)
        self.assertFalse(torch.allclose(out, bi(ids, mask, types)))
        # Two tokens: no trigram at all, and no error.
        self.assertEqual(tuple(tri(ids[:, :2], mask[:, :2], types[:, :2]).shape), (1, 8))
        with self.assertRaises(ValueError):
            WideNgrams(97, 8, ngrams=4)
