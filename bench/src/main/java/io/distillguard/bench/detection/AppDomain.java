package io.distillguard.bench.detection;

import java.util.List;

/**
 * A legitimate application domain: where its prompts come from in the datasets, the stated uses
 * such apps declare (written for this benchmark, several wordings per domain) and the name an app
 * of this domain gives itself in its system preamble.
 *
 * @param name short id
 * @param appNames how such an app refers to itself in its preamble
 * @param statedUses sign-up declarations of such apps
 * @param sources dataset slices its users' prompts come from
 */
public record AppDomain(
    String name, List<String> appNames, List<String> statedUses, List<Slice> sources) {

  /** A dataset file, restricted to some of its domains ({@code null}: all of it). */
  public record Slice(String source, List<String> domains) {}

  static Slice all(String source) {
    return new Slice(source, null);
  }

  static Slice of(String source, String... domains) {
    return new Slice(source, List.of(domains));
  }

  /** The legitimate domains the benchmark's apps are drawn from. */
  public static final List<AppDomain> LEGIT =
      List.of(
          new AppDomain(
              "banking",
              List.of("a retail bank's help centre", "a credit card app", "an online bank"),
              List.of(
                  "Customer support chatbot for our retail bank: cards, transfers, balances,"
                      + " fees and account questions.",
                  "In-app assistant for a credit card: answers cardholders' questions about"
                      + " payments, limits, rewards and disputes.",
                  "Banking help desk assistant that answers customers about their accounts,"
                      + " top-ups, exchange rates and lost cards."),
              List.of(
                  all("banking77"),
                  of("clinc150", "banking", "credit_cards"),
                  of("sgd", "Banks", "Payment"))),
          new AppDomain(
              "travel",
              List.of("a travel booking site", "an airline", "a trip planner"),
              List.of(
                  "Travel booking assistant: flights, hotels, rental cars and trip questions for"
                      + " our customers.",
                  "Trip planning chatbot for a travel agency: itineraries, bookings, visas and"
                      + " travel alerts.",
                  "Customer assistant for an online travel agency handling flight, bus, train"
                      + " and hotel requests."),
              List.of(
                  of("clinc150", "travel"),
                  of("sgd", "Flights", "Hotels", "Travel", "RentalCars", "Buses", "Trains"))),
          new AppDomain(
              "home_assistant",
              List.of("a smart speaker", "a home automation hub", "a voice assistant"),
              List.of(
                  "Voice assistant for smart speakers: alarms, reminders, lights, music, weather"
                      + " and calendar commands.",
                  "Home automation assistant that turns spoken commands into device actions,"
                      + " timers and lists.",
                  "Natural-language front end for our smart home hub: lights, plugs, alarms,"
                      + " playlists and weather."),
              List.of(
                  of(
                      "hwu64",
                      "iot",
                      "alarm",
                      "calendar",
                      "lists",
                      "weather",
                      "datetime",
                      "music",
                      "audio",
                      "play"),
                  of("snips", "weather", "music"))),
          new AppDomain(
              "dining_media",
              List.of("a restaurant and events app", "a movie and music guide", "a city guide"),
              List.of(
                  "Concierge chatbot for a restaurant, movie and events booking app.",
                  "Entertainment assistant: find restaurants, movies, shows, books and music and"
                      + " book them.",
                  "Local guide assistant recommending and booking restaurants, films and"
                      + " concerts."),
              List.of(
                  of("snips", "restaurant", "movies", "books", "media"),
                  of("sgd", "Restaurants", "Movies", "Events", "Music", "Media"),
                  of("hwu64", "takeaway", "recommendation", "cooking"))),
          new AppDomain(
              "health",
              List.of("a patient information portal", "a health plan", "a clinic"),
              List.of(
                  "Patient information assistant answering questions about diseases, symptoms,"
                      + " treatments and medications.",
                  "Health plan member assistant explaining conditions, tests and treatment"
                      + " options in plain language.",
                  "Clinical knowledge assistant for nurses and medical students."),
              List.of(
                  all("medquad"),
                  of(
                      "mmlu",
                      "clinical_knowledge",
                      "college_medicine",
                      "professional_medicine",
                      "nutrition",
                      "anatomy",
                      "virology",
                      "medical_genetics",
                      "human_aging"))),
          new AppDomain(
              "coding",
              List.of("a developer tools company", "an IDE plugin", "a coding school"),
              List.of(
                  "Coding assistant in our IDE plugin: writes and explains Python functions and"
                      + " snippets.",
                  "Programming help bot for a coding bootcamp: Python exercises and how-to"
                      + " questions.",
                  "Developer assistant that answers Python how-to questions and completes"
                      + " functions."),
              List.of(all("humaneval"), all("mbpp"), all("conala"))),
          new AppDomain(
              "math_tutor",
              List.of("a maths tutoring app", "a homework helper", "an online school"),
              List.of(
                  "Math tutoring app that helps students solve word problems and competition"
                      + " problems step by step.",
                  "Homework helper for school mathematics: arithmetic, algebra, geometry and"
                      + " probability.",
                  "Maths practice assistant that explains solutions to exercises."),
              List.of(all("gsm8k"), all("svamp"), all("math"))),
          new AppDomain(
              "productivity",
              List.of("a workplace assistant", "a personal assistant app", "a productivity suite"),
              List.of(
                  "Personal productivity assistant: calendar, email, reminders, rides, to-do"
                      + " lists and quick questions.",
                  "Workplace assistant for employees: meetings, HR questions, PTO, payroll and"
                      + " reminders.",
                  "Everyday assistant in our productivity app: scheduling, messages, timers,"
                      + " conversions and small talk."),
              List.of(
                  of(
                      "clinc150",
                      "work",
                      "utility",
                      "meta",
                      "auto_and_commute",
                      "home",
                      "kitchen_and_dining",
                      "small_talk"),
                  of(
                      "hwu64",
                      "email",
                      "calendar",
                      "lists",
                      "datetime",
                      "social",
                      "news",
                      "general"),
                  of(
                      "sgd",
                      "Calendar",
                      "Alarm",
                      "Messaging",
                      "RideSharing",
                      "Weather",
                      "Services",
                      "Homes"))),
          new AppDomain(
              "law_study",
              List.of("a law school prep app", "a bar exam course"),
              List.of(
                  "Bar exam preparation app: law practice questions with explanations.",
                  "Study assistant for law students: legal doctrine questions and case"
                      + " hypotheticals."),
              List.of(of("mmlu", "professional_law", "jurisprudence", "international_law"))),
          new AppDomain(
              "psychology_study",
              List.of("a psychology course", "a tutoring platform"),
              List.of(
                  "Psychology course companion: practice questions and explanations for"
                      + " students.",
                  "Tutoring assistant for psychology and sociology classes."),
              List.of(
                  of(
                      "mmlu",
                      "professional_psychology",
                      "high_school_psychology",
                      "sociology",
                      "human_sexuality"))),
          new AppDomain(
              "history_study",
              List.of("a history tutoring app", "an online school"),
              List.of(
                  "History tutor for high school students: practice questions on US, European"
                      + " and world history.",
                  "Study assistant for history and geography classes."),
              List.of(
                  of(
                      "mmlu",
                      "high_school_us_history",
                      "high_school_european_history",
                      "high_school_world_history",
                      "prehistory",
                      "high_school_geography"))));

  /**
   * Broad stated uses: general assistants declare these, and so do campaigns that claim breadth.
   */
  public static final List<String> BROAD_STATED_USES =
      List.of(
          "General-purpose AI assistant for our employees: writing, coding, analysis, research and"
              + " everyday questions.",
          "Consumer chat assistant app that answers any question users ask.",
          "AI assistant platform for our customers' teams: drafting, summarising, brainstorming,"
              + " coding help and Q&A.",
          "Research and writing assistant for a university: all subjects.");

  /** Stated uses of company-wide assistants that list the areas they serve. */
  public static final List<String> AREA_STATED_USES =
      List.of(
          "General-purpose AI assistant for our employees: writing, coding, analysis, translation"
              + " and research questions.",
          "Internal assistant for our staff: drafting emails, summarising documents, spreadsheet"
              + " formulas, code and research.",
          "Company copilot for every team: writing, data analysis, coding help, translation and"
              + " questions about our industry.");

  /** App names a broad assistant gives itself. */
  public static final List<String> BROAD_APP_NAMES =
      List.of("our company assistant", "a chat assistant app", "a university help desk");
}
