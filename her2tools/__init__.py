"""Development tools beside the runtime package: NER model training (`python -m her2tools.ner_train`)
and accuracy evaluation against the gold sets (`python -m her2tools.evaluate`). They are not part
of the pipeline's runtime, so editing them does not change the code hash that keys cached
per-document results (pipeline/config.py code_version)."""
