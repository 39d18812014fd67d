/**
 * The JDK Flight Recorder events that gilpatterns' primitives commit: not exported, so users
 * see them only in a recording, by name. Every type's name starts with
 * {@code io.github.gilpatterns.}: {@code GilHold}, {@code GilWait}, {@code GilReleased},
 * {@code GilSwitch}, {@code GilDropRequest}, {@code OwnerMessage}, {@code OwnerMailbox},
 * {@code OwnerPark}, {@code OwnerUnpark} and {@code JoinableQueueJoin}. Read them with
 * {@code jfr print --events 'io.github.gilpatterns.*' rec.jfr} or in JDK Mission Control.
 *
 * <p><b>Cost.</b> No event is committed unless a recording has enabled its type. The code
 * that commits one first asks a {@code static final} instance of its class
 * {@link jdk.jfr.Event#isEnabled() isEnabled()}: before a recording starts, the JIT
 * compiles that call to the constant {@code false}; once a recording enables the type, the
 * class is instrumented and the call reads the type's setting. Only then is an event
 * allocated or a clock read.
 */
@NullMarked
@CheckReturnValue
package io.github.gilpatterns.jfr;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
