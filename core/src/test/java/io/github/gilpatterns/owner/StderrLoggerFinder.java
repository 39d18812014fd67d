package io.github.gilpatterns.owner;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * A {@link System.LoggerFinder} for {@link OwnerExitTest}'s child JVMs: it prints each record to
 * standard error at once, so what the library logs from its JVM shutdown hook reaches the test
 * whatever other shutdown hooks do (java.util.logging's own hook closes its handlers at exit).
 */
public final class StderrLoggerFinder extends System.LoggerFinder {

  @Override
  public System.Logger getLogger(String name, Module module) {
    return new System.Logger() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public boolean isLoggable(Level level) {
        return level.getSeverity() >= Level.INFO.getSeverity();
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        System.err.println(level + " " + name + ": " + msg);
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        System.err.println(level + " " + name + ": "
            + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
      }

      @Override
      public void log(Level level, Supplier<String> supplier, Throwable thrown) {
        System.err.println(level + " " + name + ": " + supplier.get());
      }
    };
  }
}
