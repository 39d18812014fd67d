/** A consumer of gilpatterns on the module path. */
module consumer.modular {
  requires io.github.gilpatterns.core;
  requires io.github.gilpatterns.patterns;
}
