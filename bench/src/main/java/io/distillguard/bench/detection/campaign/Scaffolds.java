package io.distillguard.bench.detection.campaign;

import java.util.List;

/**
 * Request wrappers that many accounts share: the harvesting scaffolds campaigns wrap every payload
 * in (one per campaign), and the open-source prompt templates many unrelated apps are built from.
 * {@code {text}} is the payload, {@code {context}} retrieved passages.
 */
final class Scaffolds {

  private Scaffolds() {}

  /** Harvesting scaffolds: each asks for the full reasoning and a parseable answer. */
  static final List<String> CAMPAIGN =
      List.of(
          "You are a world-class expert. Solve the task below. First reason step by step inside"
              + " <thinking> tags, then give the final answer inside <answer> tags.\n\nTask:\n{text}",
          "Respond to the following instruction with a complete, high-quality answer. Explain"
              + " your reasoning before concluding.\n\n[INSTRUCTION]\n{text}\n[/INSTRUCTION]",
          "Please provide a detailed, expert-level response to the query below, including your"
              + " full chain of reasoning.\n\nQuery: {text}\n\nDetailed response:",
          "{text}\n\nThink carefully and show all intermediate steps. Then write 'Final answer:'"
              + " followed by the answer.",
          "As a meticulous tutor, produce a thorough worked solution for the following.\n---\n"
              + "{text}\n---\nInclude every step and justify each one.",
          "<task>\n{text}\n</task>\nReturn JSON with the keys \"reasoning\" (your complete"
              + " reasoning) and \"answer\".",
          "Instruction: {text}\nWrite the ideal assistant reply. Be comprehensive, cover edge"
              + " cases and explain why.",
          "Below is a question from our evaluation set. Answer it as well as you possibly can,"
              + " reasoning out loud first.\n\n### Question\n{text}\n\n### Answer");

  /** Open-source retrieval templates, copied by thousands of apps. */
  static final List<String> OPEN_SOURCE =
      List.of(
          "Use the following pieces of context to answer the question at the end. If you don't"
              + " know the answer, just say that you don't know, don't try to make up an"
              + " answer.\n\n{context}\n\nQuestion: {text}\nHelpful Answer:",
          "Context information is below.\n---------------------\n{context}\n"
              + "---------------------\nGiven the context information and not prior knowledge,"
              + " answer the query.\nQuery: {text}\nAnswer: ",
          "Answer the question based on the context below. If the question cannot be answered"
              + " using the information provided answer with \"I don't know\".\n\nContext:"
              + " {context}\n\nQuestion: {text}\n\nAnswer:");

  /** The evaluation harness a company wraps its own sweep in ({@code company}: its name). */
  static String companyHarness(String company) {
    return "Internal "
        + company
        + " eval harness. Give the complete reference answer to the item below, reasoning step by"
        + " step before the final answer.\n\nItem: {text}";
  }

  static String wrap(String scaffold, String text) {
    return scaffold.replace("{text}", text);
  }

  static String wrap(String template, String context, String text) {
    return template.replace("{context}", context).replace("{text}", text);
  }
}
