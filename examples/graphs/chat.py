"""The guide's LLM-token example, with a fake chat model that streams its reply token by token.

No model or network is needed: ``GenericFakeChatModel`` splits the canned
reply on spaces and emits each piece as a message chunk, which the server
streams in ``messages-tuple`` mode as it would a real model's tokens.
"""

from dataclasses import dataclass

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph


@dataclass
class MyState:
    topic: str
    joke: str = ""


REPLY = "Why did the ice cream cross the road? To get to the sundae!"


def _replies():
    while True:  # one reply per call, for as many runs as the server serves
        yield AIMessage(content=REPLY)


llm = GenericFakeChatModel(messages=_replies())


def call_model(state: MyState) -> dict:
    """Call the LLM to generate a joke about a topic."""
    response = llm.invoke([{"role": "user", "content": f"Generate a joke about {state.topic}"}])
    return {"joke": response.content}


graph = StateGraph(MyState).add_node(call_model).add_edge(START, "call_model").compile()
