package dev.skiff.controllers;

import dev.skiff.client.SkiffClient;
import dev.skiff.client.events.EventRecorder;
import dev.skiff.client.informer.InformerFactory;
import java.time.Clock;

/**
 * What every controller is built from: the client, the informers shared by all controllers of
 * one leadership term, the event recorder, the clock and the settings. Controllers register their
 * handlers and indexers on {@link #informers()} in their constructors; the manager starts the
 * factory after every controller is built.
 */
public record ControllerContext(
    SkiffClient client,
    InformerFactory informers,
    EventRecorder recorder,
    Clock clock,
    ControllerManagerConfig config) {}
