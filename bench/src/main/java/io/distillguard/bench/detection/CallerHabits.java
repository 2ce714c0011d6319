package io.distillguard.bench.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How callers call the API, drawn from the same distributions by every benchmark account, campaign
 * or not: client software, cloud address space, models, system preambles and request templates. So
 * that none of them tells the classes apart ({@link LeakProbe} checks).
 */
final class CallerHabits {

  private CallerHabits() {}

  /** Client software of server-side API callers, with weights. */
  static final List<String> USER_AGENTS =
      List.of(
          "openai-python/1.54.4",
          "openai-python/1.52.0",
          "OpenAI/NodeJS/4.73.0",
          "langchain-core/0.3.21",
          "python-httpx/0.27.2",
          "Go-http-client/2.0",
          "okhttp/4.12.0",
          "curl/8.5.0");

  static final double[] USER_AGENT_WEIGHTS = {30, 15, 18, 10, 10, 7, 6, 4};

  /** First octets of the cloud providers' address space the callers run in. */
  static final int[] CLOUD_FIRST_OCTETS = {3, 13, 18, 20, 34, 35, 44, 52, 54, 104, 137};

  static final List<String> MODELS = List.of("dg-large-2026-09", "dg-small-2026-09");

  /**
   * System preambles an app resends with every call; {@code {app}} is the app's name. The flag says
   * whether the preamble asks for long answers (step-by-step, detailed).
   */
  record Preamble(String text, boolean asksForDetail) {}

  static final List<Preamble> PREAMBLES =
      List.of(
          new Preamble(
              "You are the assistant of {app}. Answer the user's request step by step.", true),
          new Preamble(
              "You are a helpful assistant for {app}. Think step by step and explain your"
                  + " answer in detail.",
              true),
          new Preamble("You are the assistant of {app}. Be concise and accurate.", false),
          new Preamble(
              "System: you work for {app}. Give a complete, well-structured answer.", true),
          new Preamble("System: you work for {app}. Keep answers short and friendly.", false),
          new Preamble(
              "You are {app}'s AI assistant. If the request needs reasoning, reason step by step"
                  + " before the final answer.",
              true));

  /** Request templates used by scripted callers (batch jobs and scripted sweeps alike). */
  static final List<String> TEMPLATES =
      List.of(
          "Answer the following request.\n\n{text}",
          "### Instruction:\n{text}\n\n### Response:",
          "Task input: {text}\nTask output:",
          "Handle the following message and reply with the result.\n\nMessage: {text}");

  /** Client software drawn with {@link #USER_AGENT_WEIGHTS}. */
  static String userAgent(Random rng) {
    double total = 0;
    for (double w : USER_AGENT_WEIGHTS) {
      total += w;
    }
    double x = rng.nextDouble() * total;
    for (int i = 0; i < USER_AGENTS.size(); i++) {
      x -= USER_AGENT_WEIGHTS[i];
      if (x <= 0) {
        return USER_AGENTS.get(i);
      }
    }
    return USER_AGENTS.get(USER_AGENTS.size() - 1);
  }

  /** A /24 prefix in a cloud provider's address space ("a.b.c"). */
  static String cloudPrefix(Random rng) {
    return CLOUD_FIRST_OCTETS[rng.nextInt(CLOUD_FIRST_OCTETS.length)]
        + "."
        + rng.nextInt(256)
        + "."
        + rng.nextInt(256);
  }

  /** One to three egress addresses of a server fleet (most callers use one). */
  static List<String> egressIps(Random rng) {
    int n = rng.nextDouble() < 0.6 ? 1 : 2 + rng.nextInt(2);
    List<String> ips = new ArrayList<>();
    String prefix = cloudPrefix(rng);
    for (int i = 0; i < n; i++) {
      ips.add(prefix + "." + (2 + rng.nextInt(250)));
    }
    return List.copyOf(ips);
  }
}
