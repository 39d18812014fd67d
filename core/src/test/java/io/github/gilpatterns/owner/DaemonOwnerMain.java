package io.github.gilpatterns.owner;

/**
 * Run in a child JVM by {@link OwnerLifecycleTest}: starts an owner (daemon or not, per the
 * argument), has it run one message, prints "main returned" and returns from {@code main} without
 * closing the owner. A daemon owner must let the JVM exit; a non-daemon owner keeps it alive.
 */
public final class DaemonOwnerMain {

  private DaemonOwnerMain() {}

  /**
   * Entry point.
   *
   * @param args {@code daemon} or {@code non-daemon}
   * @throws Exception if the message fails
   */
  public static void main(String[] args) throws Exception {
    boolean daemon = args[0].equals("daemon");
    Owner<StringBuilder> owner =
        Owner.builder(new StringBuilder()).name("child-owner").daemon(daemon).start();
    owner.tell(sb -> sb.append("told"));
    System.out.println("owner says " + owner.ask(StringBuilder::toString).get());
    System.out.println("main returned");
    System.out.flush();
  }
}
