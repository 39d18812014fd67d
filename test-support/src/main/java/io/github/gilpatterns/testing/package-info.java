/**
 * What every suite of core and patterns shares: the kind of thread the tests start
 * ({@link io.github.gilpatterns.testing.ThreadMode}, platform or virtual), bounded waits
 * ({@link io.github.gilpatterns.testing.Await}), and the check that fails a test leaving threads
 * running ({@link io.github.gilpatterns.testing.ThreadLeakCheck}).
 */
package io.github.gilpatterns.testing;
