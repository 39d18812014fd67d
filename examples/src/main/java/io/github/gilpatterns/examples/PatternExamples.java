package io.github.gilpatterns.examples;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The pattern examples: every public class of {@code io.github.gilpatterns.examples.patterns}
 * with a {@code public static void main(String[])}, found on the class path (directory or
 * jar) so that the launcher needs no change when one is added. The launcher names each by its
 * simple class name in kebab case without a trailing {@code Example}, {@code Demo} or
 * {@code Main} ({@code CounterManagerExample} is {@code counter-manager}) and describes it by
 * its {@code public static final String DESCRIPTION}, if it has one.
 */
final class PatternExamples {
  static final String PACKAGE = "io.github.gilpatterns.examples.patterns";

  private PatternExamples() {}

  /** One pattern example. */
  record Example(String name, Class<?> type, String description) {
    void run(String... args) throws Exception {
      Method main = type.getMethod("main", String[].class);
      try {
        main.invoke(null, (Object) args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception) {
          throw (Exception) cause;
        }
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        throw e;
      }
    }
  }

  static List<Example> all() {
    TreeSet<String> classNames = new TreeSet<>();
    String path = PACKAGE.replace('.', '/');
    try {
      Enumeration<URL> urls = PatternExamples.class.getClassLoader().getResources(path);
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        if (url.getProtocol().equals("file")) {
          File[] files = new File(url.toURI()).listFiles();
          if (files != null) {
            for (File f : files) {
              addIfTopLevelClass(classNames, f.getName());
            }
          }
        } else if (url.getProtocol().equals("jar")) {
          URLConnection c = url.openConnection();
          c.setUseCaches(false);
          try (JarFile jar = ((JarURLConnection) c).getJarFile()) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
              String name = e.nextElement().getName();
              if (name.startsWith(path + "/") && name.indexOf('/', path.length() + 1) < 0) {
                addIfTopLevelClass(classNames, name.substring(path.length() + 1));
              }
            }
          }
        }
      }
    } catch (IOException | URISyntaxException | IllegalArgumentException e) {
      return List.of(); // nothing we can list
    }
    List<Example> examples = new ArrayList<>();
    for (String simple : classNames) {
      try {
        Class<?> type = Class.forName(PACKAGE + "." + URLDecoder.decode(simple, StandardCharsets.UTF_8), false,
            PatternExamples.class.getClassLoader());
        Method main = type.getMethod("main", String[].class);
        if (!Modifier.isPublic(type.getModifiers()) || !Modifier.isStatic(main.getModifiers())) {
          continue;
        }
        examples.add(new Example(kebab(type.getSimpleName()), type, description(type)));
      } catch (ReflectiveOperationException | LinkageError e) {
        // not a runnable example
      }
    }
    examples.sort(Comparator.comparing(Example::name));
    return examples;
  }

  static Optional<Example> find(String name) {
    String k = name.toLowerCase(Locale.ROOT);
    return all().stream()
        .filter(e -> e.name().equals(k) || e.type().getSimpleName().equalsIgnoreCase(k))
        .findFirst();
  }

  private static void addIfTopLevelClass(TreeSet<String> names, String file) {
    if (file.endsWith(".class") && !file.contains("$") && !file.equals("package-info.class")) {
      names.add(file.substring(0, file.length() - ".class".length()));
    }
  }

  private static String description(Class<?> type) {
    try {
      Object d = type.getField("DESCRIPTION").get(null);
      return d instanceof String ? (String) d : type.getName();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return type.getName();
    }
  }

  /** {@code CounterManagerExample} becomes {@code counter-manager}. */
  static String kebab(String simpleName) {
    String base = simpleName.replaceFirst("(Example|Demo|Main)$", "");
    if (base.isEmpty()) {
      base = simpleName;
    }
    return base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
        .toLowerCase(Locale.ROOT);
  }
}
