package io.distillguard.launcher.demo;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's own prompt templates, by topic. Each template has {@code {slot}} placeholders filled
 * from the slot lists, so a template yields many distinct prompts. Written for the demo; the
 * benchmark uses real human-written datasets instead.
 */
final class DemoTemplates {

  private DemoTemplates() {}

  static final Map<String, List<String>> SLOTS =
      Map.ofEntries(
          Map.entry(
              "city",
              List.of(
                  "Lisbon",
                  "Denver",
                  "Osaka",
                  "Nairobi",
                  "Toronto",
                  "Madrid",
                  "Chicago",
                  "Singapore",
                  "Dublin",
                  "Seattle",
                  "Rome",
                  "Bogota")),
          Map.entry("n", List.of("3", "7", "12", "15", "24", "36", "48", "64", "125", "240")),
          Map.entry(
              "lang",
              List.of(
                  "French",
                  "German",
                  "Japanese",
                  "Spanish",
                  "Portuguese",
                  "Korean",
                  "Italian",
                  "Dutch")),
          Map.entry(
              "topic",
              List.of(
                  "the ocean at night",
                  "an old lighthouse",
                  "autumn leaves",
                  "a lost umbrella",
                  "the first snow",
                  "a city waking up",
                  "a broken clock",
                  "a quiet library",
                  "a fox in the garden",
                  "the last train home")),
          Map.entry(
              "food",
              List.of(
                  "chickpeas",
                  "salmon",
                  "mushrooms",
                  "lentils",
                  "tofu",
                  "chicken thighs",
                  "sweet potatoes",
                  "spinach",
                  "eggplant",
                  "shrimp")),
          Map.entry(
              "lib",
              List.of(
                  "pandas",
                  "React",
                  "asyncio",
                  "Express",
                  "NumPy",
                  "Spring Boot",
                  "Django",
                  "lodash")),
          Map.entry(
              "condition",
              List.of(
                  "type 2 diabetes",
                  "migraine",
                  "asthma",
                  "high blood " + "pressure",
                  "iron deficiency",
                  "seasonal allergies",
                  "sleep apnea",
                  "gout")),
          Map.entry(
              "law",
              List.of(
                  "a residential lease",
                  "an employment contract",
                  "a non-disclosure agreement",
                  "a software license",
                  "a small claims case",
                  "a trademark dispute",
                  "a will",
                  "a GDPR data request")),
          Map.entry(
              "era",
              List.of(
                  "the Roman Republic",
                  "the Meiji Restoration",
                  "the Industrial Revolution",
                  "the Cold War",
                  "the Ottoman Empire",
                  "the Renaissance",
                  "the French Revolution",
                  "the Silk Road")),
          Map.entry(
              "science",
              List.of(
                  "photosynthesis",
                  "plate tectonics",
                  "entropy",
                  "the immune response",
                  "black holes",
                  "CRISPR",
                  "ocean currents",
                  "superconductivity",
                  "natural selection",
                  "the carbon cycle")),
          Map.entry(
              "item",
              List.of(
                  "running shoes",
                  "a winter jacket",
                  "wireless headphones",
                  "a coffee grinder",
                  "a backpack",
                  "a desk lamp")),
          Map.entry(
              "ticket",
              List.of(
                  "My package says delivered but it is not here",
                  "I was charged twice for the same order",
                  "The app logs me out every few minutes",
                  "I want to change the shipping address on my order",
                  "The discount code did not apply at checkout",
                  "My refund has not arrived after " + "two weeks",
                  "The product arrived damaged",
                  "I cannot reset my password")));

  static final Map<String, List<String>> TOPICS =
      Map.ofEntries(
          Map.entry(
              "travel-support",
              List.of(
                  "I need to change my flight to {city} to a later date, what are the fees?",
                  "My checked bag did not arrive in {city}. How do I file a claim?",
                  "Can I bring {n} kg of hand luggage on a flight to {city}?",
                  "My flight to {city} was cancelled, am I entitled to a refund?",
                  "How early should I arrive at the airport for an international flight to {city}?",
                  "Can I upgrade my seat on the flight to {city} using miles?")),
          Map.entry(
              "banking",
              List.of(
                  "My card was declined at a shop in {city}, why?",
                  "How long does a transfer of {n}00 dollars to another bank take?",
                  "I see a charge I don't recognise for {n} dollars. What should I do?",
                  "How do I raise the daily withdrawal limit on my debit card?",
                  "Can I freeze my card from the app while I look for it?",
                  "What is the fee for an international transfer to {city}?")),
          Map.entry(
              "code",
              List.of(
                  "Why does this {lib} code throw an error when the list is empty? How do I fix it?",
                  "Write a function that returns the {n} most frequent words in a text, using {lib}.",
                  "Explain what this {lib} snippet does line by line and suggest a cleaner version.",
                  "How do I write a unit test for an async function that uses {lib}?",
                  "Refactor this loop into a {lib} idiom and explain the time complexity.",
                  "Implement a binary search over a sorted array of {n} integers and handle edge "
                      + "cases.")),
          Map.entry(
              "cooking",
              List.of(
                  "Give me a quick weeknight dinner recipe with {food}.",
                  "How long should I roast {food} at 200 degrees?",
                  "Suggest a vegetarian substitute for {food} in a curry.",
                  "Plan {n} lunches for the week around {food} and rice.",
                  "What spices go well with {food}?")),
          Map.entry(
              "tickets",
              List.of(
                  "Classify the following support ticket into one of [billing, shipping, account, "
                      + "product, other]. Ticket: \"{ticket}\"",
                  "Classify the following support ticket into one of [billing, shipping, account, "
                      + "product, other]. Ticket: \"{ticket}\" (order {n})")),
          Map.entry(
              "shoe-store",
              List.of(
                  "Do you have {item} in size {n}?",
                  "What is your return policy for {item}?",
                  "When will my order of {item} ship?")),
          Map.entry(
              "legal",
              List.of(
                  "Summarise the termination clauses in {law}.",
                  "What are the tenant's obligations in {law} regarding repairs?",
                  "Draft a polite letter responding to a breach of {law}.",
                  "Which jurisdiction usually governs {law} signed online?",
                  "List the risks for a freelancer signing {law}.")),
          Map.entry(
              "math",
              List.of(
                  "Prove that the sum of the first {n} odd numbers is a perfect square.",
                  "Solve for x: {n}x + 7 = 3x - {n}. Show each step.",
                  "A train travels {n}0 km in {n} hours and then 120 km in 2 hours. What is its "
                      + "average speed?",
                  "Compute the derivative of x^{n} * sin(x) and simplify.",
                  "How many ways can {n} people sit around a round table?",
                  "Prove that there are infinitely many primes.")),
          Map.entry(
              "poetry",
              List.of(
                  "Write a sonnet about {topic}.",
                  "Write a haiku sequence about {topic}.",
                  "Write a short story, under 300 words, that begins with {topic}.",
                  "Write a limerick about {topic}.",
                  "Compose a free-verse poem about {topic} in the style of a 19th century poet.")),
          Map.entry(
              "translation",
              List.of(
                  "Translate into {lang}: 'The meeting has been moved to Thursday afternoon.'",
                  "Translate this paragraph about {topic} into {lang} and keep the tone formal.",
                  "How do you say 'where is the nearest pharmacy' in {lang}?",
                  "Translate the idiom 'it's raining cats and dogs' into {lang} and explain it.")),
          Map.entry(
              "medicine",
              List.of(
                  "What are the first-line treatments for {condition}?",
                  "What are the early symptoms of {condition}?",
                  "How is {condition} diagnosed, and which tests are used?",
                  "Which lifestyle changes help manage {condition}?")),
          Map.entry(
              "history",
              List.of(
                  "What were the main causes of the decline of {era}?",
                  "Explain the economic system of {era} in a few paragraphs.",
                  "Who were the most influential figures of {era} and why?")),
          Map.entry(
              "science",
              List.of(
                  "Explain {science} to a high-school student.",
                  "What experiments established our understanding of {science}?",
                  "Write an exam question about {science} with a model answer.")),
          Map.entry(
              "logic",
              List.of(
                  "Three boxes are labelled wrongly: apples, oranges, mixed. You may draw {n} fruit. "
                      + "How do you relabel them?",
                  "If all bloops are razzies and some razzies are lazzies, must some bloops be "
                      + "lazzies? Explain.",
                  "A bat and a ball cost {n}.10 together; the bat costs {n} more than the ball. "
                      + "What does the ball cost?")),
          Map.entry(
              "business",
              List.of(
                  "Write a professional email to a client in {city} postponing our meeting.",
                  "Draft a one-page business plan summary for a bakery in {city}.",
                  "Write a job description for a senior engineer working with {lib}.")));

  /** Topics a distillation sweep walks through: the whole capability space. */
  static final List<String> SWEEP_TOPICS =
      List.of(
          "math",
          "code",
          "poetry",
          "translation",
          "medicine",
          "legal",
          "history",
          "science",
          "logic",
          "business",
          "cooking",
          "banking",
          "travel-support");

  /**
   * Topics of a broad general-purpose employee assistant: everything its stated use names (writing,
   * coding, analysis, translation, research), which is broad but not the whole space.
   */
  static final List<String> ASSISTANT_TOPICS =
      List.of("business", "code", "translation", "science", "history", "logic");

  /** A prompt of {@code topic} with its slots filled from {@code random}. */
  static String prompt(String topic, Random random) {
    List<String> templates = TOPICS.get(topic);
    if (templates == null) {
      throw new IllegalArgumentException("unknown demo topic: " + topic);
    }
    String template = templates.get(random.nextInt(templates.size()));
    StringBuilder out = new StringBuilder(template.length() + 32);
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        out.append(template, i, template.length());
        break;
      }
      int close = template.indexOf('}', open);
      out.append(template, i, open);
      List<String> values = SLOTS.get(template.substring(open + 1, close));
      out.append(values.get(random.nextInt(values.size())));
      i = close + 1;
    }
    return out.toString();
  }
}
